"""Updates per second through ediary-bot's Dispatcher vs a bare aiogram Dispatcher, side by side.

    python benchmarks/bench_updates.py [--updates 2000]

Both use the same in-memory Bot API session (answers instantly), so the figures compare the
framework work only: our middlewares (user record in SQLite, locale), routing, handlers, storage
and e-diary reads against aiogram answering with a constant text.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from aiogram import Bot, Dispatcher, Router
from aiogram.client.session.base import BaseSession
from aiogram.methods import EditMessageText, GetMe, SendMessage, TelegramMethod
from aiogram.types import Chat, Message, Update, User

from bot.app import create_dispatcher, shutdown, startup
from bot.clock import ManualClock
from bot.config import load_settings
from bot.ediary.demo import DemoProvider
from storage import links, users

NOW = datetime(2026, 11, 25, 10, 0)


class InstantSession(BaseSession):
    """Answers every call at once, like a Bot API that costs nothing."""

    async def make_request(self, bot: Bot, method: TelegramMethod, timeout: int | None = None):
        if isinstance(method, GetMe):
            return User(id=42, is_bot=True, first_name="Bench", username="bench_bot")
        if isinstance(method, (SendMessage, EditMessageText)):
            return Message(
                message_id=1, date=NOW, chat=Chat(id=int(method.chat_id or 1), type="private"), text=method.text
            )
        return True

    async def stream_content(self, *args, **kwargs):
        yield b""

    async def close(self) -> None:
        pass


def message_update(update_id: int, user_id: int, text: str) -> Update:
    user = User(id=user_id, is_bot=False, first_name="Bench", language_code="ru")
    return Update(
        update_id=update_id,
        message=Message(
            message_id=update_id, date=NOW, chat=Chat(id=user_id, type="private"), from_user=user, text=text
        ),
    )


async def measure(dp: Dispatcher, bot: Bot, texts: list[str], count: int, users_count: int = 50) -> float:
    for i in range(20):  # warm-up
        await dp.feed_update(bot, message_update(i, 1000 + i % users_count, texts[i % len(texts)]))
    started = time.perf_counter()
    for i in range(count):
        await dp.feed_update(bot, message_update(100 + i, 1000 + i % users_count, texts[i % len(texts)]))
    return count / (time.perf_counter() - started)


def bare_dispatcher() -> Dispatcher:
    router = Router()

    @router.message()
    async def answer(message: Message) -> None:
        await message.answer("ok")

    dp = Dispatcher()
    dp.include_router(router)
    return dp


async def main(count: int) -> None:
    bot = Bot("42:BENCH", session=InstantSession())
    baseline = await measure(bare_dispatcher(), bot, ["/start"], count)

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
        db = dp["ctx"].db
        scenarios: dict[str, tuple[list[str], bool]] = {
            "/start, /help, free text (unlinked)": (["/start", "/help", "hello"], False),
            "/marks for a parent of two": (["/marks"], True),
            "/today for a parent of two": (["/today"], True),
        }
        print(f"{'scenario':42} {'updates/s':>10} {'vs bare aiogram':>16}")
        print(f"{'bare aiogram, constant answer':42} {baseline:10.0f} {1.0:15.2f}x")
        for name, (texts, linked) in scenarios.items():
            if linked:
                for i in range(50):
                    await users.touch_user(db, 1000 + i, "ru", clock.now())
                    await links.add_link(db, 1000 + i, "p01", "parent", clock.now())
            rate = await measure(dp, bot, texts, count)
            print(f"{name:42} {rate:10.0f} {rate / baseline:15.2f}x")
        await shutdown(dp, bot)
    await bot.session.close()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--updates", type=int, default=2000, help="updates per scenario (default 2000)")
    args = parser.parse_args()
    if args.updates < 1:
        parser.error("--updates must be a positive number")
    asyncio.run(main(args.updates))
