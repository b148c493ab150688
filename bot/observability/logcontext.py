"""What each log line belongs to: the update being handled (set by the update middleware) or the job or
long-running task being run (set by the scheduler wrapper and the task starter). Context variables follow
the asyncio task, so concurrent updates never mix their lines."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

update_id: ContextVar[int | None] = ContextVar("log_update_id", default=None)
job: ContextVar[str | None] = ContextVar("log_job", default=None)


@contextmanager
def for_update(value: int) -> Iterator[None]:
    token = update_id.set(value)
    try:
        yield
    finally:
        update_id.reset(token)


@contextmanager
def for_job(name: str) -> Iterator[None]:
    token = job.set(name)
    try:
        yield
    finally:
        job.reset(token)
