"""End-to-end: the real `ediary-bot` process against the in-test fake Bot API server.

async with FakeTelegram() as tg, running_bot(tmp_path, tg) as bot:
    user = tg.user(1001)
    await user.send("/start")
    reply = await user.wait_reply()
    await bot.cli("demo", "add-grade", ...)   # staff commands run as their own processes
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import signal
import sys
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from bot.clock import SystemClock
from storage import outbox
from storage.db import Database
from tests.demo_school import copy_demo_school
from tests.harness import FakeTelegram

TOKEN = "42:TEST"
HANG_GUARD = 300.0  # seconds: only a hung bot takes this long to start, however busy the machine


@dataclass
class RunningBot:
    process: asyncio.subprocess.Process
    env: dict[str, str]
    stderr_path: Path
    http_port: int | None = None  # the webhook server's or, with HEALTH_PORT, the health server's

    @property
    def http_url(self) -> str:
        assert self.http_port is not None, "no HTTP server: set WEBHOOK_URL or HEALTH_PORT"
        return f"http://127.0.0.1:{self.http_port}"

    async def cli(self, *args: str, expect: int = 0) -> tuple[int, str, str]:
        """Run `ediary-bot ARGS` against the same databases; returns (code, stdout, stderr)."""
        return await run_cli(self.env, *args, expect=expect)

    async def cli_json(self, *args: str) -> Any:
        _, out, _ = await self.cli(*args)
        return json.loads(out)

    def log(self) -> str:
        return self.stderr_path.read_text(encoding="utf-8", errors="replace")


def bot_env(tmp_path: Path, tg: FakeTelegram, **settings: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("BOT_", "EDIARY_", "DATABASE_", "DEMO_"))}
    env.update(
        BOT_TOKEN=TOKEN,
        TELEGRAM_API_URL=tg.base_url,
        DATABASE_PATH=str(tmp_path / "bot.sqlite3"),
        DEMO_DATABASE_PATH=str(tmp_path / "demo.sqlite3"),
        LOG_LEVEL="INFO",
        PYTHONUNBUFFERED="1",
    )
    env.update({k.upper(): str(v) for k, v in settings.items()})
    return env


async def run_cli(env: dict[str, str], *args: str, expect: int | None = 0) -> tuple[int, str, str]:
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        *args,
        env=env,
        cwd=env.get("EDIARY_TEST_CWD"),
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await asyncio.wait_for(proc.communicate(), timeout=HANG_GUARD)
    code = proc.returncode
    if expect is not None and code != expect:
        raise AssertionError(f"ediary-bot {' '.join(args)} exited {code}, expected {expect}:\n{err.decode()}")
    return code, out.decode(), err.decode()


@asynccontextmanager
async def running_bot(
    tmp_path: Path, tg: FakeTelegram, *, stop_signal: int = signal.SIGTERM, **settings: str
) -> AsyncIterator[RunningBot]:
    """Start `python -m bot run`; wait until it polls (or, with WEBHOOK_URL, registers its webhook: its updates
    are then POSTed to the port it logs); on exit signal it and check it stopped cleanly."""
    env = bot_env(tmp_path, tg, **settings)
    demo_path = Path(env["DEMO_DATABASE_PATH"])
    if env.get("EDIARY_PROVIDER", "demo") == "demo" and not demo_path.exists():
        await copy_demo_school(demo_path, SystemClock(env.get("TIMEZONE", "Europe/Moscow")))
    env["EDIARY_TEST_CWD"] = str(tmp_path)  # no stray .env from the developer's checkout
    stderr_path = tmp_path / "bot.log"
    with stderr_path.open("wb") as log:
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "bot",
            "run",
            env=env,
            cwd=tmp_path,
            stdout=log,
            stderr=log,
        )
        bot = RunningBot(process, env, stderr_path)
        try:
            webhook = "WEBHOOK_URL" in env
            await _wait_ready(tg.webhook.registered if webhook else tg.polling, process, bot)
            bot.http_port = _logged_port(bot.log(), "webhook server" if webhook else "health and metrics server")
            if webhook:  # the reverse proxy in front of the bot: Telegram's POSTs reach the port it took
                tg.webhook.route = bot.http_url + urlsplit(env["WEBHOOK_URL"]).path
            yield bot
        finally:
            if process.returncode is None:
                process.send_signal(stop_signal)
                try:
                    await asyncio.wait_for(process.wait(), timeout=HANG_GUARD)
                except TimeoutError:
                    process.kill()
                    await process.wait()
                    raise AssertionError(
                        f"the bot did not stop on {signal.Signals(stop_signal).name}:\n{bot.log()}"
                    ) from None
    output = bot.log()
    assert process.returncode == 0, f"the bot exited {process.returncode}:\n{output}"
    assert "Traceback" not in output, output


def _logged_port(log: str, server: str) -> int | None:
    """The port a server of the bot took (WEBHOOK_PORT or HEALTH_PORT 0: any free one), from its log line."""
    found = re.findall(rf"{server} listening on \S+?:(\d+)", log)
    return int(found[-1]) if found else None


async def _wait_ready(ready_signal: asyncio.Event, process: asyncio.subprocess.Process, bot: RunningBot) -> None:
    """Until the bot's ready signal (its first getUpdates, or its setWebhook) or its exit, whichever comes first."""
    ready = asyncio.ensure_future(ready_signal.wait())
    exited = asyncio.ensure_future(process.wait())
    try:
        done, _ = await asyncio.wait({ready, exited}, timeout=HANG_GUARD, return_when=asyncio.FIRST_COMPLETED)
    finally:
        ready.cancel()
        if not exited.done():
            exited.cancel()
    if ready in done:
        return
    if exited in done:
        raise AssertionError(f"the bot exited at startup with {process.returncode}:\n{bot.log()}")
    raise AssertionError(
        f"the bot did not become ready (poll or set its webhook) in {HANG_GUARD:.0f}s (hung?):\n{bot.log()}"
    )


async def wait_until(condition: Callable[[], Awaitable[bool]], what: str) -> None:
    """Until `condition()` holds (re-checked every 50 ms): waiting for something the bot does, never for a
    fixed time. HANG_GUARD only stops a test whose bot hangs."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + HANG_GUARD
    while not await condition():
        if loop.time() > deadline:
            raise AssertionError(f"{what}: not within {HANG_GUARD:.0f}s (hung?)")
        await asyncio.sleep(0.05)


async def outbox_settled(db: Database) -> None:
    """Until the running bot has handled every outbox item that is due: from then on it sends nothing more
    (the sender sends only outbox items), so a test may count what arrived."""

    async def settled() -> bool:
        counts = await outbox.status_counts(db)
        return not counts.get("pending") and not counts.get("sending")

    await wait_until(settled, "the outbox is not empty")
