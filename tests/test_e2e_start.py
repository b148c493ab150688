"""The real bot process answers /start through a fake Bot API server, and stops cleanly on SIGTERM."""

from pathlib import Path

from tests.e2e import running_bot
from tests.harness import FakeTelegram


async def test_start_over_the_real_entry_point(tmp_path: Path) -> None:
    async with FakeTelegram(token="42:TEST") as tg, running_bot(tmp_path, tg) as bot:
        anna = tg.user(1001, first_name="Анна", language_code="ru")
        await anna.send("/start")
        reply = await anna.wait_reply(timeout=10)
        assert "Здравствуйте, Анна" in reply.text
        john = tg.user(1002, first_name="John", language_code="en")
        await john.send("/start")
        assert (await john.wait_reply(timeout=10)).text.startswith("Hello, John")
        commands = [params for method, params in tg.requests if method == "setMyCommands"]
        assert {p.get("language_code") for p in commands} >= {None, "ru", "en"}
    assert "stopped cleanly" in bot.log()


async def test_ctrl_c_stops_the_bot_cleanly(tmp_path: Path) -> None:
    import signal

    async with FakeTelegram(token="42:TEST") as tg, running_bot(tmp_path, tg, stop_signal=signal.SIGINT) as bot:
        user = tg.user(1003, language_code="en")
        await user.send("/help")
        assert "/grades" in (await user.wait_reply(timeout=10)).text
    log = bot.log()
    assert "stopped cleanly" in log and "Traceback" not in log
