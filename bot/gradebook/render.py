"""Charts and reports are drawn off the event loop, one at a time: matplotlib is not thread-safe, and a burst
of requests must not take every core from the bot (a queued render waits its turn; the bot keeps answering)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

T = TypeVar("T")

_WORKER = ThreadPoolExecutor(max_workers=1, thread_name_prefix="render")


async def off_loop(func: Callable[..., T], *args: object) -> T:
    """`func(*args)` in the render worker."""
    return await asyncio.get_running_loop().run_in_executor(_WORKER, func, *args)
