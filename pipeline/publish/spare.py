"""A spare made from the site just put in place, when the build kept none (issue 21).

The build after a full one (the first build, the preview's first, the first after an upgrade)
found no spare: the replaced site shares no file with the new one. It then hard-linked every
unchanged file of the site into an empty folder, 94,000 at 30,000 letters, 4 to 11 seconds of
today's letter. Instead, the links are made right after the full build: in a detached process at
the lowest priority (`make_later`), or here and now (`make`, the preview, before it says it is
ready). The next build recycles the spare as any other (publish.site_check checks each of its files
against the current site's stamps, so a spare made while the site changed again is no risk: what
is not the current site's own file is removed).

The links are made under a name of their own (`.<site>.spare-making-<pid>`) and renamed to the
spare only when complete and only when no spare is there: a build takes a spare whole or not at
all. This module imports nothing but the standard library: the detached process runs it alone.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path


def spare_path(out: Path) -> Path:
    """Where the next build looks for the spare of the site `out` (`.<name>.spare`)."""
    return out.with_name(f".{out.name}.spare")


def make(out: Path) -> None:
    """Make the spare of the site `out` now; nothing is made when anything goes wrong."""
    _make(str(out), str(out.with_name(f".{out.name}.spare-making-{os.getpid()}")), str(spare_path(out)))


def make_later(out: Path) -> None:
    """Make the spare of the site `out` in a detached process at the lowest priority."""
    subprocess.Popen([sys.executable, __file__, str(out)], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                     stderr=subprocess.DEVNULL, start_new_session=True)


def _make(site: str, making: str, spare: str) -> None:
    try:
        for folder, _subfolders, files in os.walk(site):
            target = making + folder[len(site):]
            os.mkdir(target)
            for name in files:
                os.link(os.path.join(folder, name), os.path.join(target, name), follow_symlinks=False)
        if not os.path.lexists(spare):
            os.rename(making, spare)
    except OSError:
        pass  # the site changed under the walk, or no hard links here: no spare, the next build links
    finally:
        shutil.rmtree(making, ignore_errors=True)


if __name__ == "__main__":
    os.nice(19)
    _out = Path(sys.argv[1])
    # Spares left half made by a process that was stopped, then this one.
    for _left in _out.parent.glob(f".{_out.name}.spare-making-*"):
        shutil.rmtree(_left, ignore_errors=True)
    make(_out)
