"""Waiting in a test for something the code under test does: re-check a condition, never sleep a fixed time.
The guard only stops a test that would otherwise hang; on a busy machine the expected path may be slow."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

GUARD_SECONDS = 120.0


async def eventually(condition: Callable[[], object], what: str, guard: float = GUARD_SECONDS) -> None:
    """Until `condition()` is true, looking again after every turn of the event loop (and every 10 ms)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + guard
    while not condition():
        if loop.time() > deadline:
            raise AssertionError(f"{what}: not within {guard:.0f}s (hung?)")
        await asyncio.sleep(0.01)
