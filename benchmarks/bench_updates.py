"""Updates through ediary-bot's real Dispatcher beside a bare aiogram handler, in the same run.

    python -m benchmarks.bench_updates [--quick] [--updates N] [--profile SCENARIO]

Both run on the same in-process Bot API session that answers every call at once, so the figures compare the
framework work only: our middlewares (the user record, locale), routing through every feature's router,
access checks, storage and e-diary reads (the demo school) and rendering, against aiogram answering with a
constant text (a message) or editing the pressed message (a button). A third figure, aiogram in the bot's
shape (its middlewares and routers doing nothing), is the floor any bot built that way pays per update.
Updates are fed one after another, each parsed from its JSON form as polling does; latency is one update's
time, CPU the process's (the SQLite thread's included) divided by the updates.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import gc
import pstats
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # also runnable as a script

from aiogram import BaseMiddleware, Bot, Dispatcher, Router
from aiogram.client.session.base import BaseSession
from aiogram.fsm.storage.memory import MemoryStorage, SimpleEventIsolation
from aiogram.methods import EditMessageText, GetMe, SendMessage, TelegramMethod
from aiogram.types import (
    CallbackQuery,
    Chat,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Message,
    TelegramObject,
    Update,
    User,
)
from aiogram.utils.i18n import ConstI18nMiddleware

from benchmarks.figures import Figure, percentile
from bot.app import create_dispatcher, shutdown, startup
from bot.clock import ManualClock
from bot.config import load_settings
from bot.ediary.demo import DemoProvider
from bot.ediary.model import Role
from bot.filters import ChatType
from bot.gradebook.periods import short_key
from bot.grades.callbacks import GradesSubjectCb
from bot.i18n import DEFAULT_LOCALE, create_i18n
from bot.timetable.callbacks import TimetableDayCb, pack_date
from storage import links, users

NOW = datetime(2026, 11, 25, 10, 0)  # a Wednesday morning in the second quarter
USERS = 50  # distinct accounts taking turns
SECTION = "updates"


class InstantSession(BaseSession):
    """Answers every call at once, like a Bot API that costs nothing."""

    async def make_request(self, bot: Bot, method: TelegramMethod[Any], timeout: int | None = None) -> Any:
        if isinstance(method, GetMe):
            return User(id=42, is_bot=True, first_name="Bench", username="bench_bot")
        if isinstance(method, SendMessage | EditMessageText):
            chat = Chat(id=int(method.chat_id or 1), type="private")
            return Message(message_id=1, date=NOW, chat=chat, text=method.text)
        return True

    async def stream_content(self, *args: Any, **kwargs: Any) -> Any:
        yield b""

    async def close(self) -> None:
        pass


def message_json(update_id: int, user_id: int, text: str) -> dict[str, Any]:
    user = {"id": user_id, "is_bot": False, "first_name": "Bench", "language_code": "ru"}
    message: dict[str, Any] = {
        "message_id": update_id,
        "date": int(NOW.timestamp()),
        "chat": {"id": user_id, "type": "private", "first_name": "Bench"},
        "from": user,
        "text": text,
    }
    if text.startswith("/"):
        message["entities"] = [{"type": "bot_command", "offset": 0, "length": len(text.split()[0])}]
    return {"update_id": update_id, "message": message}


def callback_json(update_id: int, user_id: int, data: str) -> dict[str, Any]:
    user = {"id": user_id, "is_bot": False, "first_name": "Bench", "language_code": "ru"}
    shown = {
        "message_id": 7,
        "date": int(NOW.timestamp()),
        "chat": {"id": user_id, "type": "private", "first_name": "Bench"},
        "from": {"id": 42, "is_bot": True, "first_name": "Bench"},
        "text": "…",
        "reply_markup": {"inline_keyboard": [[{"text": "…", "callback_data": data}]]},
    }
    return {
        "update_id": update_id,
        "callback_query": {"id": f"q{update_id}", "from": user, "chat_instance": "1", "message": shown, "data": data},
    }


@dataclass(frozen=True)
class Scenario:
    name: str
    role: str  # whose accounts send it: "one child" (a parent of one), "two children" (a parent of two)
    make: Callable[[int, int], dict[str, Any]]  # (update id, user id) -> the update's JSON


@dataclass(frozen=True)
class Measured:
    per_second: float
    p50_ms: float
    p99_ms: float
    cpu_ms: float


async def measure(
    dp: Dispatcher, bot: Bot, make: Callable[[int, int], dict[str, Any]], count: int, first_user: int
) -> Measured:
    for n in range(50):  # warm-up: caches, the first rendering of each screen
        await dp.feed_update(bot, Update.model_validate(make(n, first_user + n % USERS), context={"bot": bot}))
    gc.collect()
    latencies = []
    cpu_started, started = time.process_time(), time.perf_counter()
    for n in range(count):
        before = time.perf_counter()
        update = Update.model_validate(make(1000 + n, first_user + n % USERS), context={"bot": bot})
        await dp.feed_update(bot, update)
        latencies.append(time.perf_counter() - before)
    wall, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    return Measured(
        count / wall, percentile(latencies, 0.5) * 1000, percentile(latencies, 0.99) * 1000, cpu / count * 1000
    )


def bare_dispatcher() -> Dispatcher:
    dp = Dispatcher()
    dp.include_router(bare_router())
    return dp


def bare_router() -> Router:
    router = Router()
    keyboard = InlineKeyboardMarkup(inline_keyboard=[[InlineKeyboardButton(text="ok", callback_data="ok")]])

    @router.message()
    async def answer(message: Message) -> None:
        await message.answer("ok")

    @router.callback_query()
    async def pressed(callback: CallbackQuery) -> None:
        assert isinstance(callback.message, Message)
        await callback.message.edit_text("ok", reply_markup=keyboard)
        await callback.answer()

    return router


class PassThrough(BaseMiddleware):
    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        return await handler(event, data)


def shaped_dispatcher() -> Dispatcher:
    """aiogram in the bot's shape, doing none of its work: three update middlewares that only pass the update
    on, the locale middleware, one update at a time per user, groups and private chats on routers of their own,
    and a feature router answering as the bare handler does. What any bot built this way pays per update."""
    dp = Dispatcher(storage=MemoryStorage(), events_isolation=SimpleEventIsolation())
    for _ in range(3):
        dp.update.outer_middleware(PassThrough())
    ConstI18nMiddleware(DEFAULT_LOCALE, create_i18n()).setup(dp)
    group, private = Router(name="group"), Router(name="private")
    group.message.filter(ChatType("group", "supergroup"))
    private.message.filter(ChatType("private"))
    private.callback_query.filter(ChatType("private"))
    private.include_router(bare_router())
    root = Router(name="root")
    root.include_routers(group, private)
    dp.include_router(root)
    return dp


def scenarios(provider: DemoProvider, today: date) -> list[Scenario]:
    d = provider.directory
    one = next(p for p, kids in d.children.items() if len(kids) == 1)
    child = d.children[one][0]
    subject = d.subjects[d.class_subject_ids(d.student_class[child])[0]]
    subject_view = GradesSubjectCb(student=child, period="", subject=short_key(subject), page=0).pack()
    day_button = TimetableDayCb(kind="s", person=child, day=pack_date(today + timedelta(days=1))).pack()
    return [
        Scenario("/start", "one child", lambda n, user: message_json(n, user, "/start")),
        Scenario("/marks", "two children", lambda n, user: message_json(n, user, "/marks")),
        Scenario("/today", "one child", lambda n, user: message_json(n, user, "/today")),
        Scenario("grades subject view", "one child", lambda n, user: callback_json(n, user, subject_view)),
        Scenario("timetable button", "one child", lambda n, user: callback_json(n, user, day_button)),
    ]


TARGETS = {
    "/today": "≥ 0.5x bare, p99 < 20 ms, ≥ 1,000/s",
    "/start": "≥ 0.4x bare",
    "/marks": "≥ 0.4x bare",
    "grades subject view": "≥ 0.4x bare",
    "timetable button": "≥ 0.4x bare",
}


async def run(quick: bool = False, count: int | None = None, profile: str | None = None) -> list[Figure]:
    """The figures of every scenario; with `profile`, only that scenario's, and its cProfile table printed."""
    count = count or (200 if quick else 3000)
    bot = Bot("42:BENCH", session=InstantSession())
    bare_dp, shaped_dp = bare_dispatcher(), shaped_dispatcher()
    figures: list[Figure] = []
    with tempfile.TemporaryDirectory() as tmp:
        settings = load_settings(
            _env_file=None,
            bot_token="42:BENCH",
            database_path=Path(tmp) / "bot.sqlite3",
            demo_database_path=Path(tmp) / "demo.sqlite3",
        )
        clock = ManualClock(NOW)
        provider = await DemoProvider.open(settings.demo_database_path, clock)
        dp = create_dispatcher(settings, clock=clock, provider=provider, run_scheduler=False, set_commands=False)
        await startup(dp, bot)
        try:
            db = dp["ctx"].database
            d = provider.directory
            parents = {
                "one child": next(p for p, kids in d.children.items() if len(kids) == 1),
                "two children": next(p for p, kids in d.children.items() if len(kids) == 2),
            }
            first_user = {"one child": 10_000, "two children": 20_000}
            for role, parent in parents.items():
                for n in range(USERS):
                    await users.touch_user(db, first_user[role] + n, "ru", clock.now())
                    await links.add_link(db, first_user[role] + n, parent, Role.PARENT.value, clock.now())
            for scenario in scenarios(provider, clock.today()):
                if profile is not None and scenario.name != profile:
                    continue
                bare = await measure(bare_dp, bot, scenario.make, count, 90_000)
                shaped = await measure(shaped_dp, bot, scenario.make, count, 90_000) if profile is None else None
                profiler = cProfile.Profile() if profile else None
                if profiler is not None:
                    profiler.enable()
                ours = await measure(dp, bot, scenario.make, count, first_user[scenario.role])
                if profiler is not None:
                    profiler.disable()
                    print_profile(profiler, count)
                figures += [
                    Figure(SECTION, f"{scenario.name}: updates/s", ours.per_second, "1/s", bare.per_second,
                           "bare aiogram", TARGETS[scenario.name]),
                    Figure(SECTION, f"{scenario.name}: p50", ours.p50_ms, "ms", bare.p50_ms, "bare aiogram"),
                    Figure(SECTION, f"{scenario.name}: p99", ours.p99_ms, "ms", bare.p99_ms, "bare aiogram"),
                    Figure(SECTION, f"{scenario.name}: CPU per update", ours.cpu_ms, "ms", bare.cpu_ms, "bare aiogram"),
                ]  # fmt: skip
                if shaped is not None:
                    figures.append(
                        Figure(SECTION, f"{scenario.name}: aiogram in the bot's shape, updates/s", shaped.per_second,
                               "1/s", bare.per_second, "bare aiogram")
                    )  # fmt: skip
        finally:
            await shutdown(dp, bot)
            await bot.session.close()
    return figures


def print_profile(profiler: cProfile.Profile, count: int) -> None:
    """The functions that take the most time of their own, and the most including what they call."""
    print(f"profile of {count} updates (times include the profiler's own overhead)")
    for order in ("tottime", "cumulative"):
        pstats.Stats(profiler, stream=sys.stdout).strip_dirs().sort_stats(order).print_stats(25)


def main(argv: list[str] | None = None) -> None:
    from benchmarks.figures import table

    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="200 updates per scenario (a CI smoke)")
    parser.add_argument("--updates", type=int, help="updates per scenario (default 3000)")
    parser.add_argument("--profile", choices=list(TARGETS), help="profile this scenario only (cProfile)")
    args = parser.parse_args(argv)
    if args.updates is not None and args.updates < 1:
        parser.error("--updates must be a positive number")
    print(table(asyncio.run(run(args.quick, args.updates, args.profile))))


if __name__ == "__main__":
    main()
