"""A child process that runs while the build goes on (a half of the mkdocs build).

Its output goes to a file, never a pipe: nobody reads a pipe while the build is busy elsewhere, and
a full pipe would stop the child. What it said is read back only to explain a failure."""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Child:
    process: subprocess.Popen[bytes]
    log: Path

    @classmethod
    def start(cls, command: list[str], log: Path) -> Child:
        with open(log, "wb") as handle:
            return cls(subprocess.Popen(command, stdout=handle, stderr=subprocess.STDOUT), log)

    def finish(self, timeout: float | None = None) -> tuple[int, str]:
        """Wait for the child; return its exit status and what it printed. A child still running
        after `timeout` seconds is killed and subprocess.TimeoutExpired raised."""
        try:
            status = self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
            raise
        said = self.log.read_text(encoding="utf-8", errors="replace") if self.log.is_file() else ""
        return status, said


def last_lines(said: str, count: int = 3) -> list[str]:
    return said.strip().splitlines()[-count:]
