"""Personal copies rendered in worker processes, one per core (at most two), so downloads
from several desks at once use both cores instead of queueing behind one thread.

A copy travels to the worker and back through a pipe, never through a file. Each worker keeps
the workspace's loaded content and layouts until the server's generation (bumped by every
change on disk) moves on. Errors come back as the CLI's text, raised again here.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

from handouts.content.personal import Personal
from handouts.errors import HandoutsError, NotFound
from handouts.serve.live import Live, View, page_images

WORKERS = max(1, min(2, os.cpu_count() or 1))
_live: dict[tuple[str | None, str], tuple[int, Live]] = {}  # in each worker process


def _follow_parent(parent: int) -> None:
    """In each worker: exit when the server is gone, even if it was killed outright."""
    import threading
    import time

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(1.0)
        os._exit(0)

    threading.Thread(target=watch, daemon=True, name="handouts-follow-parent").start()


class CopyFailed(HandoutsError):
    """A HandoutsError raised in a worker, carried back as its message."""


def _make(root: str | None, cwd: str, generation: int, view: View,
          personal: Personal | None, images: bool) -> tuple[str, Any, int]:
    """(kind, result, pages) for one copy; runs in a worker process."""
    key = (root, cwd)
    cached = _live.get(key)
    if cached is None or cached[0] != generation:
        if cached is not None:
            cached[1].close()
        cached = _live[key] = (generation, Live(root, cwd=Path(cwd)))
    live = cached[1]
    try:
        rendered = live.pdf(view, personal)
    except NotFound as exc:
        return "not-found", str(exc), 0
    except HandoutsError as exc:
        return "error", str(exc), 0
    if images:
        return "images", page_images(rendered.data), rendered.pages
    return "pdf", rendered.data, rendered.pages


class Copies:
    """The pool of copy workers of one server."""

    def __init__(self, live: Live, workers: int = WORKERS) -> None:
        self.live = live
        self._pool = ProcessPoolExecutor(max_workers=workers,
                                         mp_context=multiprocessing.get_context("spawn"),
                                         initializer=_follow_parent, initargs=(os.getpid(),))

    async def _run(self, view: View, personal: Personal | None, images: bool) -> Any:
        root = str(self.live.root_arg) if self.live.root_arg is not None else None
        future = self._pool.submit(_make, root, str(self.live.cwd), self.live.generation,
                                   view, personal, images)
        kind, result, _ = await asyncio.wrap_future(future)
        if kind == "not-found":
            raise _NotFoundThere(result)
        if kind == "error":
            raise CopyFailed(result)
        return result

    async def pdf(self, view: View, personal: Personal | None) -> bytes:
        data: bytes = await self._run(view, personal, images=False)
        return data

    async def images(self, view: View, personal: Personal | None) -> list[bytes]:
        pngs: list[bytes] = await self._run(view, personal, images=True)
        return pngs

    def warm(self) -> None:
        """Start the workers now rather than on the first copy."""
        for _ in range(self._pool._max_workers):
            self._pool.submit(os.getpid)

    def close(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)


class _NotFoundThere(NotFound, CopyFailed):
    pass
