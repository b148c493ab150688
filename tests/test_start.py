"""A new user's first minutes: /start, /help and anything else, in Russian and English."""

from tests.conftest import ADMIN_ID, App


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


def help_entries(text: str) -> set[str]:
    """The commands /help lists as entries of their own ("/name — what it does")."""
    return {line.split(" — ")[0] for line in text.splitlines() if line.startswith("/") and " — " in line}


async def test_help_before_linking_offers_linking(app: App) -> None:
    user = app.client(4, language_code="en")
    await user.send("/help")
    text = user.last_message().text
    assert help_entries(text) == {"/link", "/help", "/forget"}
    assert "once you link your account: /link" in text


async def test_help_for_a_family_lists_their_commands_with_unlink_and_forget_as_entries(app: App) -> None:
    await app.link(40, "p01", "parent", language="en")
    user = app.client(40, language_code="en")
    await user.send("/help")
    entries = help_entries(user.last_message().text)
    assert {"/marks", "/grades", "/today", "/message", "/inbox", "/settings", "/me", "/unlink", "/forget"} <= entries
    assert "/invite" not in entries and "/link" in entries


async def test_help_for_a_teacher_leaves_family_commands_out_and_says_how_to_answer(app: App) -> None:
    await app.link(41, "t02", "teacher", language="en")  # Кузнецов А. Н.: no homeroom class
    user = app.client(41, language_code="en")
    await user.send("/help")
    text = user.last_message().text
    entries = help_entries(text)
    assert {"/today", "/inbox", "/unlink", "/forget"} <= entries
    assert not entries & {"/marks", "/grades", "/invite"}
    assert "reply to their message" in text
    # /message means writing to a student's parents for a teacher, not "to a teacher"
    assert "/message — Write to a student's parents" in text and "Write to a teacher" not in text
    assert "/inbox — Conversations with families" in text


async def test_help_tells_homeroom_teachers_and_admins_about_invite(app: App) -> None:
    await app.link(42, "t01", "teacher", language="en")  # Белова Е. В.: homeroom teacher of 5А
    for user_id in (42, ADMIN_ID):
        user = app.client(user_id, language_code="en")
        await user.send("/help")
        assert "/invite — Issue one-time codes" in user.last_message().text
    russian = app.client(ADMIN_ID, language_code="ru")
    await russian.send("/help")
    assert "/invite — Выдать одноразовые коды" in russian.last_message().text


async def test_a_teachers_plain_text_gets_how_to_answer(app: App) -> None:
    await app.link(43, "t02", "teacher", language="ru")
    teacher = app.client(43, language_code="ru")
    await teacher.send("Спасибо, завтра поговорим")
    text = teacher.last_message().text
    assert "не понял" not in text
    assert "ответьте на его сообщение" in text and "/inbox" in text
    await app.link(44, "p01", "parent", language="ru")
    parent = app.client(44, language_code="ru")
    await parent.send("Спасибо, завтра поговорим")
    assert "не понял" in parent.last_message().text


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


async def test_the_main_menu_reaches_every_everyday_screen_for_a_parent_and_a_teacher(app: App) -> None:
    await app.link(44, "p01", "parent", language="ru")
    parent = app.client(44, language_code="ru")
    await parent.send("/start")
    menu = parent.reply_keyboard()
    for label in ("📝 Домашние задания", "📋 Посещаемость", "📈 Успеваемость", "🗓 События", "✉️ Написать учителю"):
        assert label in menu
    await parent.send("📝 Домашние задания")
    assert "Домашн" in parent.last_message().text or "задани" in parent.last_message().text.lower()

    await app.link(45, "t01", "teacher", language="ru")
    teacher = app.client(45, language_code="ru")
    await teacher.send("/start")
    menu = teacher.reply_keyboard()
    assert "✉️ Написать родителям" in menu and "✉️ Написать учителю" not in menu and "📊 Оценки за сегодня" not in menu
    await teacher.send("✉️ Написать родителям")
    shown = teacher.last_message()
    labels = [b.text for row in (shown.reply_markup.inline_keyboard if shown.reply_markup else []) for b in row]
    assert "5А" in shown.text or any("5А" in label for label in labels)
