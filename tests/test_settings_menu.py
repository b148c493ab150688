"""/settings: a parent switches alerts, quiet hours, reminder time, daily summary and language in one message
edited in place; typed times are checked and bad ones get a clear answer without changing anything."""

from datetime import time

from aiogram.types import Message

from bot.alerts import poller
from storage import preferences as prefs_repo
from storage import users as users_repo
from tests.alerts_story import follow
from tests.conftest import App
from tests.harness import BotClient
from tests.harness import updates as u


def buttons(message: Message) -> list[str]:
    markup = message.reply_markup
    return [b.text for row in markup.inline_keyboard for b in row] if markup else []


async def press_forged(client: BotClient, message: Message, data: str) -> None:
    """A modified client sends callback data that no button carries."""
    callback = u.callback_dict(client.user, client.core.messages[(message.chat.id, message.message_id)], data)
    client.query_ids.append(callback["id"])
    await client._deliver({"update_id": client.core.next_update_id(), "callback_query": callback})


async def open_settings(
    app: App, user_id: int = 501, person: str = "p01", role: str = "parent"
) -> tuple[BotClient, Message]:
    user = await follow(app, user_id, person, role)
    await user.send("/settings")
    return user, user.last_message()


async def test_settings_show_every_alert_kind_and_the_defaults(app: App) -> None:
    user, screen = await open_settings(app)
    text = screen.text
    assert text.startswith("⚙️ Настройки")
    assert "✅ Новые и исправленные оценки" in text
    assert "▫️ Напоминания о домашнем задании: накануне в 18:00" in text  # parents: off unless they opt in
    assert "✅ Изменения в расписании на сегодня и завтра" in text
    assert "✅ Сообщения учителей — со звуком" in text
    assert "Тихие часы: 22:00–07:00" in text
    assert "Уведомления приходят: сразу" in text
    assert "Язык: Русский" in text
    assert buttons(screen)[:4] == ["✅ Оценки", "▫️ Домашнее задание", "✅ Расписание", "✅ Сообщения учителей"]
    await user.send("⚙️ Настройки")  # the menu button opens the same screen
    assert user.last_message().text == text


async def test_a_student_has_homework_reminders_on_by_default(app: App) -> None:
    _, screen = await open_settings(app, 502, "s01", "student")
    assert "✅ Напоминания о домашнем задании" in screen.text


async def test_toggles_edit_the_same_message_and_are_saved(app: App) -> None:
    user, screen = await open_settings(app)
    await user.click(screen, "✅ Оценки")
    await user.click(screen, "▫️ Домашнее задание")
    await user.click(screen, "✅ Сообщения учителей")
    assert len(user.messages) == 1
    text = user.last_message().text
    assert "▫️ Новые и исправленные оценки" in text
    assert "✅ Напоминания о домашнем задании" in text
    assert "▫️ Сообщения учителей приходят без звука" in text
    prefs = await prefs_repo.get_preferences(app.db, 501)
    assert (prefs.alert_grades, prefs.alert_homework, prefs.alert_timetable, prefs.alert_messages) == (
        False,
        True,
        True,
        False,
    )
    await user.click(screen, "▫️ Оценки")
    assert (await prefs_repo.get_preferences(app.db, 501)).alert_grades is True


async def test_quiet_hours_from_a_preset_or_typed(app: App) -> None:
    user, screen = await open_settings(app)
    await user.click(screen, "🌙 Тихие часы")
    assert "Сейчас: 22:00–07:00" in user.last_message().text
    await user.click(screen, "23:00–08:00")
    assert user.last_answer() == "Тихие часы: 23:00–08:00."
    assert "Сейчас: 23:00–08:00" in user.last_message().text
    await user.click(screen, "Другое время…")
    prompt = user.last_message()
    assert "например 22:00-07:00" in prompt.text and buttons(prompt) == ["✖️ Отмена"]
    await user.send("с 21:30 до 6:45")
    saved = user.last_message()
    assert saved.text.startswith("✅ Тихие часы: 21:30–06:45.")
    prefs = await prefs_repo.get_preferences(app.db, 501)
    assert (prefs.quiet_start, prefs.quiet_end) == (time(21, 30), time(6, 45))
    assert buttons(user.messages[0]) == []  # the prompt's Cancel is gone: nothing stale is left


async def test_a_bad_time_gets_a_clear_answer_and_changes_nothing(app: App) -> None:
    user, screen = await open_settings(app)
    await user.click(screen, "🌙 Тихие часы")
    await user.click(screen, "Другое время…")
    for typed in ("25:00-07:00", "в десять вечера", "22:00"):
        await user.send(typed)
        answer = user.last_message()
        assert f"«{typed}» не похоже на тихие часы" in answer.text
        assert buttons(answer) == ["✖️ Отмена"]
    prefs = await prefs_repo.get_preferences(app.db, 501)
    assert (prefs.quiet_start, prefs.quiet_end) == (time(22), time(7))
    await user.send("22:00-06:00")  # the step is still open
    assert (await prefs_repo.get_preferences(app.db, 501)).quiet_end == time(6)


async def test_cancel_leaves_the_step_and_keeps_the_old_value(app: App) -> None:
    user, screen = await open_settings(app)
    await user.click(screen, "⏰ Время напоминаний")
    await user.click(screen, "Другое время…")
    await user.click(screen, "✖️ Отмена")
    assert user.last_message().text.startswith("⏰ Время напоминаний")
    await user.send("19:45")  # no longer a reminder time: just a message the bot does not understand
    assert "не понял" in user.last_message().text
    assert (await prefs_repo.get_preferences(app.db, 501)).reminder_time == time(18)


async def test_reminder_time_from_a_preset_or_typed(app: App) -> None:
    user, screen = await open_settings(app)
    await user.click(screen, "⏰ Время напоминаний")
    await user.click(screen, "20:00")
    assert "накануне срока сдачи, в 20:00" in user.last_message().text
    await user.click(screen, "Другое время…")
    await user.send("7:5")
    assert "«7:5» не похоже на время" in user.last_message().text
    await user.send("19.45")
    assert user.last_message().text.startswith("✅ Напоминания о домашнем задании в 19:45.")
    assert (await prefs_repo.get_preferences(app.db, 501)).reminder_time == time(19, 45)


async def test_a_sticker_instead_of_a_time_is_answered(app: App) -> None:
    user, screen = await open_settings(app)
    await user.click(screen, "⏰ Время напоминаний")
    await user.click(screen, "Другое время…")
    await user.send_photo()
    assert user.last_message().text == "Пришлите время текстом или нажмите «Отмена»."


async def test_daily_summary_at_a_chosen_time(app: App) -> None:
    user, screen = await open_settings(app)
    await user.click(screen, "📬 Доставка")
    await user.click(screen, "▫️ Сводка за день")
    assert "Уведомления приходят: одной сводкой в 19:00" in user.last_message().text
    await user.click(screen, "21:00")
    await user.click(screen, "⬅️ Назад")
    assert "Уведомления приходят: одной сводкой в 21:00" in user.last_message().text
    prefs = await prefs_repo.get_preferences(app.db, 501)
    assert prefs.digest_mode and prefs.digest_time == time(21)
    await user.click(screen, "📬 Доставка")
    await user.click(screen, "▫️ Сразу")
    assert not (await prefs_repo.get_preferences(app.db, 501)).digest_mode


async def test_the_language_changes_at_once_menu_included(app: App) -> None:
    user, screen = await open_settings(app)
    await user.click(screen, "🌐 Язык")
    await user.click(screen, "English")
    assert screen.message_id == user.messages[0].message_id
    assert user.messages[0].text.startswith("⚙️ Settings")
    assert user.last_message().text == "Language: English"
    assert "⚙️ Settings" in user.reply_keyboard()
    assert (await users_repo.get_user(app.db, 501)).language == "en"
    await user.send("⚙️ Settings")
    assert "Language: English" in user.last_message().text


async def test_alerts_follow_the_new_language(app: App, provider) -> None:
    from bot.ediary.demo import commands
    from tests.alerts_story import poll_and_deliver

    user, screen = await open_settings(app)
    await poller.poll(app.ctx)
    await user.click(screen, "🌐 Язык")
    await user.click(screen, "English")
    await commands.add_grade(provider, "s01", "Математика", "5")
    await poll_and_deliver(app)
    assert user.last_message().text.startswith("📝 New grade for Артём Иванов")


async def test_forged_buttons_change_nothing(app: App) -> None:
    user, screen = await open_settings(app)
    before = await prefs_repo.get_preferences(app.db, 501)
    for data in (
        "st:password",
        "sm:reminder:2561",
        "sm:quiet:1800",
        "sq:2200:9999",
        "sl:de",
        "sv:admin",
        "sa:language",
        "sd:maybe",
    ):
        await press_forged(user, screen, data)
    assert await prefs_repo.get_preferences(app.db, 501) == before
    assert (await users_repo.get_user(app.db, 501)).language is None  # still Telegram's
    assert all("устарела" in (a["text"] or "") for a in user.answers)
    assert len(user.answers) == 8


async def test_an_account_not_linked_yet_can_choose_its_language(app: App) -> None:
    user = app.client(777, language_code="ru")
    await user.send("/settings")
    screen = user.last_message()
    assert "после привязки дневника: /link" in screen.text
    assert buttons(screen) == ["🌐 Язык", "✔️ Готово"]
    await press_forged(user, screen, "st:grades")
    assert "устарела" in user.last_answer()


async def test_done_closes_the_settings(app: App) -> None:
    user, screen = await open_settings(app)
    await user.click(screen, "✔️ Готово")
    assert buttons(user.last_message()) == []
    assert "Сохранено" in user.last_message().text
