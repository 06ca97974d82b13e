"""Issue 18: the clerk's commands speak Vietnamese on any console, a Windows pipe in cp1252 or a C
locale included, instead of failing on the first letter with a diacritic."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest


@pytest.mark.parametrize("encoding", ["ascii", "cp1252", "utf-8"])
def test_help_and_errors_are_written_in_utf8_whatever_the_console(encoding: str, tmp_path) -> None:
    env = {**os.environ, "PYTHONIOENCODING": encoding}
    shown = subprocess.run([sys.executable, "-m", "pipeline", "--help"], capture_output=True, env=env, check=False)
    assert shown.returncode == 0, shown.stderr
    assert "Công bố văn bản đã ký số" in shown.stdout.decode("utf-8")
    failed = subprocess.run([sys.executable, "-m", "pipeline", "--root", str(tmp_path), "build"],
                            capture_output=True, env=env, check=False)
    assert failed.returncode == 1
    assert "Lỗi cấu hình" in failed.stderr.decode("utf-8")
