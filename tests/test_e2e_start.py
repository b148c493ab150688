"""The real bot process answers /start through a fake Bot API server, and stops cleanly on SIGTERM."""

from pathlib import Path

from tests.e2e import running_bot
from tests.harness import FakeTelegram


async def test_start_over_the_real_entry_point(tmp_path: Path) -> None:
    async with FakeTelegram(token="42:TEST") as tg, running_bot(tmp_path, tg) as bot:
        anna = tg.user(1001, first_name="Анна", language_code="ru")
        await anna.send("/start")
        reply = await anna.wait_reply()
        assert "Здравствуйте, Анна" in reply.text
        john = tg.user(1002, first_name="John", language_code="en")
        await john.send("/start")
        assert (await john.wait_reply()).text.startswith("Hello, John")
        commands = [params for method, params in tg.requests if method == "setMyCommands"]
        assert {p.get("language_code") for p in commands} >= {None, "ru", "en"}
    assert "stopped cleanly" in bot.log()


async def test_ctrl_c_stops_the_bot_cleanly(tmp_path: Path) -> None:
    import signal

    async with FakeTelegram(token="42:TEST") as tg, running_bot(tmp_path, tg, stop_signal=signal.SIGINT) as bot:
        user = tg.user(1003, language_code="en")
        await user.send("/help")
        assert "/link" in (await user.wait_reply()).text  # an account not linked yet: how to begin
    log = bot.log()
    assert "stopped cleanly" in log and "Traceback" not in log


async def test_a_rejected_token_is_one_clear_line(tmp_path: Path) -> None:
    from tests.e2e import bot_env, run_cli

    async with FakeTelegram(token="42:TEST") as tg:
        env = bot_env(tmp_path, tg, bot_token="43:WRONG")
        env["EDIARY_TEST_CWD"] = str(tmp_path)
        code, _, err = await run_cli(env, "run", expect=None)
    assert code == 2
    assert "Telegram rejected BOT_TOKEN" in err and "Traceback" not in err
    # Telegram is asked first: nothing is opened or built for a bot that cannot start (issue 11, item 14)
    assert not (tmp_path / "demo.sqlite3").exists() and not (tmp_path / "bot.sqlite3").exists()
    assert "stopped cleanly" not in err


async def test_an_unreachable_bot_api_is_one_clear_line(tmp_path: Path) -> None:
    import socket

    from tests.e2e import run_cli

    with socket.socket() as probe:  # a local port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    async with FakeTelegram(token="42:TEST") as tg:
        from tests.e2e import bot_env

        env = bot_env(tmp_path, tg, telegram_api_url=f"http://127.0.0.1:{port}")
        env["EDIARY_TEST_CWD"] = str(tmp_path)
        code, _, err = await run_cli(env, "run", expect=None)
    assert code == 1
    assert "cannot reach the Bot API" in err and "Traceback" not in err
    assert not (tmp_path / "demo.sqlite3").exists() and "stopped cleanly" not in err


async def test_a_database_path_that_cannot_be_opened_is_one_clear_line(tmp_path: Path) -> None:
    from tests.e2e import bot_env, run_cli

    async with FakeTelegram(token="42:TEST") as tg:
        env = bot_env(tmp_path, tg, database_path=str(tmp_path))  # a folder, not a file
        env["EDIARY_TEST_CWD"] = str(tmp_path)
        code, _, err = await run_cli(env, "run", expect=None)
    assert code == 2
    assert err.splitlines()[-1].startswith("ediary-bot: error: DATABASE_PATH: cannot open")
    assert "stopped cleanly" not in err  # it never started
    assert "Traceback" not in err


async def test_a_homeroom_teacher_is_told_about_invite_and_how_to_answer(tmp_path: Path) -> None:
    """Issue 11, items 4, 9 and 17, through the real process: /help by role, a teacher's plain text, and
    /invite with a 5,000-character argument."""
    async with FakeTelegram(token="42:TEST") as tg, running_bot(tmp_path, tg, bot_username="ediary_test_bot") as bot:
        [card] = await bot.cli_json("invite", "--person", "t01", "--json")  # Белова Е. В., homeroom 5А
        teacher = tg.user(1010, first_name="Елена", language_code="ru")
        await teacher.send(f"/link {card['code']}")
        prompt = await teacher.wait_reply(predicate=lambda m: "Белова Елена Викторовна" in (m.text or ""))
        await teacher.click(prompt, "✅ Да, привязать")
        await teacher.wait_reply(predicate=lambda m: "Готово" in (m.text or ""))
        await teacher.send("/help")
        shown = await teacher.wait_reply(predicate=lambda m: "Что я умею" in (m.text or ""))
        assert "/invite — " in shown.text and "/unlink — " in shown.text and "/marks" not in shown.text
        await teacher.send("Спасибо, до завтра")
        hint = await teacher.wait_reply()
        assert "/inbox" in hint.text and "не понял" not in hint.text
        await teacher.send("/invite " + "x" * 5000)  # item 17: a short answer, no traceback in the log
        refused = await teacher.wait_reply()
        assert "слишком длинно" in refused.text and len(refused.text) < 500
