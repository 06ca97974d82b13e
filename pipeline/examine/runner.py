"""pyhanko's validation coroutines, run on one event loop per thread and process.

pyhanko's synchronous validate_pdf_signature / validate_pdf_timestamp wrap the async API in
asyncio.run, which builds and tears down an event loop (selector, self-pipe, SIGINT handler) for
every signature: about a millisecond per letter. `run` does what those wrappers and asyncio.run do
around the coroutine (release the validation contexts' resources, cancel any task left behind) on
a loop that is kept.
"""

from __future__ import annotations

import asyncio
import os
import threading
from collections.abc import Coroutine
from typing import Any, Protocol


class Closable(Protocol):
    """What `run` releases: pyhanko's ValidationContext."""

    async def aclose(self) -> None: ...


_loops = threading.local()


def event_loop() -> asyncio.AbstractEventLoop:
    loop: asyncio.AbstractEventLoop | None = getattr(_loops, "loop", None)
    # A loop is not shared across fork (its selector would be): the sandbox's workers make their own.
    if loop is None or loop.is_closed() or getattr(_loops, "pid", None) != os.getpid():
        loop = asyncio.new_event_loop()
        _loops.loop, _loops.pid = loop, os.getpid()
    return loop


def run(coroutine: Coroutine[Any, Any, Any], *contexts: Closable | None) -> Any:
    """The coroutine's result (or exception), after closing `contexts`."""
    async def run_and_release() -> Any:
        try:
            return await coroutine
        finally:
            for context in contexts:
                if context is not None:
                    await context.aclose()

    loop = event_loop()
    try:
        return loop.run_until_complete(run_and_release())
    finally:
        leftover = asyncio.all_tasks(loop)
        for task in leftover:
            task.cancel()
        if leftover:
            loop.run_until_complete(asyncio.gather(*leftover, return_exceptions=True))
