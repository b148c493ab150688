"""A new user's first minutes: /start, /help and anything else, in Russian and English."""

from tests.conftest import App


async def test_start_in_russian_explains_linking(app: App) -> None:
    user = app.client(1, language_code="ru")
    await user.send("/start")
    reply = user.last_message()
    assert "Здравствуйте" in reply.text
    assert "/link" in reply.text
    assert "пароль" in reply.text.lower()
    assert "🔑 Привязать дневник" in user.reply_keyboard()


async def test_start_in_english_for_any_en_variant(app: App) -> None:
    user = app.client(2, language_code="en-GB")
    await user.send("/start")
    assert user.last_message().text.startswith("Hello")
    assert "🔑 Link an account" in user.reply_keyboard()


async def test_unknown_language_falls_back_to_russian(app: App) -> None:
    user = app.client(3, language_code="de")
    await user.send("/start")
    assert "Здравствуйте" in user.last_message().text


async def test_help_lists_commands(app: App) -> None:
    user = app.client(4, language_code="en")
    await user.send("/help")
    text = user.last_message().text
    for command in ("/marks", "/grades", "/today", "/link", "/settings", "/forget"):
        assert command in text


async def test_any_other_text_gets_an_answer(app: App) -> None:
    user = app.client(5, language_code="ru")
    await user.send("привет, как дела?")
    assert "не понял" in user.last_message().text
    await user.send("/nonsense")
    assert "Такой команды я не знаю" in user.last_message().text


async def test_group_commands_get_a_private_chat_hint_only(app: App) -> None:
    group = app.client(6, chat_type="group")
    await group.send("/grades")
    text = group.last_message().text
    assert "личном чате" in text
    assert "@ediary_test_bot" in text


async def test_an_unexpected_failure_still_gets_an_answer(app: App) -> None:
    import pytest

    user = app.client(7, language_code="en")

    async def broken(*args, **kwargs):
        raise RuntimeError("a bug")

    app.ctx.provider.get_student = broken  # type: ignore[method-assign]
    await app.link(7, "s01", "student")
    with pytest.raises(RuntimeError):  # re-raised: aiogram logs it as the bug it is
        await user.send("/me")
    assert user.last_message().text.startswith("Something went wrong on my side.")


async def test_an_e_diary_outage_anywhere_is_answered_not_raised(app: App) -> None:
    from bot.ediary.provider import ProviderUnavailable

    user = app.client(8, language_code="en")

    async def down(*args, **kwargs):
        raise ProviderUnavailable("down")

    app.ctx.provider.class_teachers = down  # type: ignore[method-assign]
    await app.link(8, "s01", "student")
    await user.send("/message")  # nothing in /message catches it: an expected condition, answered, not raised
    assert user.last_message().text.startswith("The e-diary is not answering right now")
