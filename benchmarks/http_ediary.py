"""A minimal e-diary over HTTP with latency: a local server answering the demo school's record reads after a
delay, and a provider that reads them from it, for the poll benchmark against a distant e-diary.

    python -m benchmarks.http_ediary --demo PATH --today YYYY-MM-DD --latency 0.05   # prints "listening on PORT"

The server runs in a process of its own (its CPU is not the bot's): GET /<method>?class=..&start=..&end=..
answers `to_json` of the demo provider's answer after `latency` seconds. The provider answers who is who from
the same demo file (a real provider keeps its directory too) and reads grades, lessons, homework and
attendance from the server, decoding the JSON back into model objects. `schedule_reads` says whether the
provider would rather be read through class_schedule (one request where the separate reads take three).
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import enum
import functools
import json
import sys
import types
import typing
from collections.abc import Callable
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # also runnable as a script

import httpx
from aiohttp import web

from bot.clock import ManualClock
from bot.ediary.demo import DemoProvider
from bot.ediary.model import AttendanceMark, Capabilities, ClassSchedule, Grade, Homework, Lesson

RECORD_READS = {
    "class_grades": Grade,
    "class_lessons": Lesson,
    "class_homework": Homework,
    "class_attendance": AttendanceMark,
    "class_schedule": ClassSchedule,
    "student_schedule": ClassSchedule,
    "student_attendance": AttendanceMark,
}


def decode(kind: Any, value: Any) -> Any:
    """A model object (or a list of them) from its `to_json` form, by the dataclass's type hints."""
    return _decoder(kind)(value)


@functools.cache
def _decoder(kind: Any) -> Callable[[Any], Any]:
    """How to decode a value of `kind`, worked out once per type (a poll decodes a hundred thousand records)."""
    origin = typing.get_origin(kind)
    if origin in (typing.Union, types.UnionType):
        inner = _decoder(next(arg for arg in typing.get_args(kind) if arg is not type(None)))
        return lambda value: None if value is None else inner(value)
    if origin in (tuple, list):
        item = _decoder(typing.get_args(kind)[0])
        return lambda value: origin(item(v) for v in value)
    if kind is date:
        return date.fromisoformat
    if kind is time:
        return time.fromisoformat
    if isinstance(kind, type) and issubclass(kind, enum.Enum):
        return kind
    if dataclasses.is_dataclass(kind):
        hints = typing.get_type_hints(kind)
        fields = [(f.name, _decoder(hints[f.name])) for f in dataclasses.fields(kind)]
        return lambda value: kind(**{name: convert(value.get(name)) for name, convert in fields})
    return lambda value: value


def _plain(value: Any) -> Any:
    """JSON for a model object (as `to_json` gives it, without copying it first)."""
    if isinstance(value, date | time):
        return value.isoformat()
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: getattr(value, f.name) for f in dataclasses.fields(value)}
    raise TypeError(type(value).__name__)


class HttpEdiary:
    """The demo school's people from its file; its records from the server, one request per read."""

    name = "http-demo"

    def __init__(self, directory: DemoProvider, base_url: str, *, schedule_reads: bool) -> None:
        self.directory = directory
        self.schedule_reads = schedule_reads
        self.client = httpx.AsyncClient(base_url=base_url, timeout=60, limits=httpx.Limits(max_connections=200))
        self.requests = 0

    @property
    def capabilities(self) -> Capabilities:
        return dataclasses.replace(self.directory.capabilities, messaging=False, schedule_reads=self.schedule_reads)

    def __getattr__(self, name: str) -> Any:  # people, periods, events: from the directory
        return getattr(self.directory, name)

    async def close(self) -> None:
        await self.client.aclose()
        await self.directory.close()

    async def _read(self, method: str, **params: Any) -> Any:
        self.requests += 1
        answer = await self.client.get(f"/{method}", params={k: str(v) for k, v in params.items()})
        answer.raise_for_status()
        kind = RECORD_READS[method]
        data = answer.json()
        return decode(kind, data) if kind is ClassSchedule else [decode(kind, item) for item in data]

    async def class_grades(self, class_name: str, start: date, end: date) -> list[Grade]:
        return await self._read("class_grades", **{"class": class_name, "start": start, "end": end})

    async def class_lessons(self, class_name: str, start: date, end: date) -> list[Lesson]:
        return await self._read("class_lessons", **{"class": class_name, "start": start, "end": end})

    async def class_homework(self, class_name: str, start: date, end: date) -> list[Homework]:
        return await self._read("class_homework", **{"class": class_name, "start": start, "end": end})

    async def class_attendance(self, class_name: str, start: date, end: date) -> list[AttendanceMark]:
        return await self._read("class_attendance", **{"class": class_name, "start": start, "end": end})

    async def class_schedule(self, class_name: str, start: date, end: date) -> ClassSchedule:
        return await self._read("class_schedule", **{"class": class_name, "start": start, "end": end})


def server_app(provider: DemoProvider, latency: float) -> web.Application:
    async def answer(request: web.Request) -> web.Response:
        method = request.match_info["method"]
        if method not in RECORD_READS:
            raise web.HTTPNotFound()
        q = request.query
        await asyncio.sleep(latency)
        start, end = date.fromisoformat(q["start"]), date.fromisoformat(q["end"])
        key = q["class"] if "class" in q else q["student"]
        result = await getattr(provider, method)(key, start, end)
        return web.Response(
            text=json.dumps(result, default=_plain, ensure_ascii=False), content_type="application/json"
        )

    app = web.Application()
    app.router.add_get("/{method}", answer)
    return app


async def serve(demo: Path, today: date, latency: float) -> None:
    provider = await DemoProvider.open(demo, ManualClock(datetime.combine(today, time(16, 0))))
    runner = web.AppRunner(server_app(provider, latency), access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0, backlog=1024)
    await site.start()
    print(f"listening on {runner.addresses[0][1]}", flush=True)
    try:
        await asyncio.Event().wait()  # until the benchmark ends the process
    finally:
        await runner.cleanup()
        await provider.close()


def main() -> None:
    parser = argparse.ArgumentParser(description="the demo school's record reads over HTTP, with latency")
    parser.add_argument("--demo", type=Path, required=True, help="the demo school file")
    parser.add_argument("--today", type=date.fromisoformat, required=True)
    parser.add_argument("--latency", type=float, default=0.05, help="seconds before each answer (default 0.05)")
    args = parser.parse_args()
    asyncio.run(serve(args.demo, args.today, args.latency))


if __name__ == "__main__":
    main()
