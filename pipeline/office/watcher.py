"""Watching the file system (watchdog): the drop folder's wake-up call, and `serve`'s change watcher.
The only module that imports watchdog."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterable
from pathlib import Path

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer

_READS = ("opened", "closed_no_write")


class FolderWake:
    """Sets `event` whenever something in `folder` (not below it) changes, so that the drop folder's
    loop wakes up at once instead of at its next poll."""

    def __init__(self, folder: Path, event: threading.Event) -> None:
        self._observer = Observer()
        self._observer.schedule(_Wake(event), str(folder), recursive=False)

    def start(self) -> None:
        self._observer.start()

    def stop(self) -> None:
        self._observer.stop()
        self._observer.join(timeout=5)


class _Wake(FileSystemEventHandler):
    def __init__(self, event: threading.Event) -> None:
        self._event = event

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.event_type not in _READS:  # our own reads must not wake the loop again
            self._event.set()


class ChangeWatcher:
    """Reports changes under `paths` (folders, recursively, or single files) for `serve`."""

    def __init__(self, paths: Iterable[Path]) -> None:
        self._changed = threading.Event()
        self._observer = Observer()
        self._files: set[str] = set()
        folders: set[Path] = set()
        for path in paths:
            path = path.resolve()
            if path.is_dir():
                self._observer.schedule(_Changes(self), str(path), recursive=True)
            else:
                self._files.add(str(path))
                if path.parent.is_dir() and path.parent not in folders:
                    folders.add(path.parent)
                    self._observer.schedule(_Changes(self, only=self._files), str(path.parent), recursive=False)

    def __enter__(self) -> ChangeWatcher:
        self._observer.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._observer.stop()
        self._observer.join(timeout=5)

    def notice(self) -> None:
        self._changed.set()

    def wait(self, timeout: float, quiet: float = 0.3) -> bool:
        """True when something changed within `timeout`, after `quiet` seconds without a further change
        (an editor saving several files, a clerk copying a folder)."""
        if not self._changed.wait(timeout):
            return False
        while True:
            self._changed.clear()
            if not self._changed.wait(quiet):
                return True


class _Changes(FileSystemEventHandler):
    def __init__(self, watcher: ChangeWatcher, only: set[str] | None = None) -> None:
        self._watcher = watcher
        self._only = only

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.event_type in _READS:
            return
        names = [os.fsdecode(event.src_path), os.fsdecode(getattr(event, "dest_path", "") or "")]
        relevant = [n for n in names if n and not _scratch(Path(n).name)]
        if self._only is not None:
            relevant = [n for n in relevant if n in self._only]
        if relevant:
            self._watcher.notice()


def _scratch(name: str) -> bool:
    """Editor and copy scratch files that should not trigger a rebuild."""
    return name.startswith((".", "~")) or name.endswith(("~", ".swp", ".swx", ".tmp", ".part", ".crdownload"))
