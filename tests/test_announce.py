"""/announce: a homeroom teacher (to their class) or an admin (any class, the whole school) writes an announcement,
checks it and sends it through the outbox to the audience's linked accounts, and sees how far it got.

Demo people: t01 Белова leads 5А; t02 Кузнецов leads no class; p01 Иванов (Артём, 5А; Софья, 9В); p03 Петров
(Анна, 5А; Михаил, 7Б); p13 Голубев (Никита, 7Б); s01 Артём. The admin is account 900 (ADMIN_IDS).
"""

from __future__ import annotations

from datetime import datetime, time

from bot.announce import service
from bot.announce.audience import Audience
from bot.announce.drafts import Draft
from storage import announcements as announcements_repo
from storage import outbox
from tests.alerts_story import follow
from tests.conftest import ADMIN_ID, App
from tests.harness import BotClient
from tests.messaging_story import buttons, deliver, forged_click

TEACHER, IVANOV, PETROV, GOLUBEV, ARTYOM = 801, 802, 803, 804, 805
SIGNED = "📢 Классный руководитель 5А Белова Е. В."


async def school(app: App) -> BotClient:
    """The homeroom teacher of 5А and some families: two 5А parents, a 7Б parent, a 5А student."""
    await app.link(TEACHER, "t01", "teacher")
    await follow(app, IVANOV, "p01", "parent")
    await follow(app, PETROV, "p03", "parent")
    await follow(app, GOLUBEV, "p13", "parent")
    await follow(app, ARTYOM, "s01", "student")
    return app.client(TEACHER)


def texts_of(app: App, user_id: int) -> list[str]:
    return [m.text or m.caption or "" for m in app.client(user_id).messages]


async def announcement_items(app: App, user_id: int) -> list[outbox.OutboxItem]:
    return [i for i in await outbox.items_for_chat(app.db, user_id) if i.kind == "announcement"]


async def test_a_homeroom_teacher_announces_to_the_parents_of_the_class(app: App) -> None:
    teacher = await school(app)
    await teacher.send("/announce")
    choice = teacher.last_message()
    assert choice.text.startswith("📢 Новое объявление\nКто должен его получить?")  # one class: no class step
    assert "👪 Родителям 5А: 2 аккаунта в боте" in choice.text
    assert "👪🎒 Родителям и ученикам 5А: 3 аккаунта в боте" in choice.text
    assert buttons(choice) == ["👪 Родители", "👪🎒 Родители и ученики", "📜 Отправленные объявления", "✖️ Отмена"]

    await teacher.click(choice, "👪 Родители")
    prompt = teacher.last_message()
    assert prompt.message_id == choice.message_id
    assert prompt.text == (
        "✍️ Напишите объявление.\nРодителям 5А: 2 аккаунта в боте.\n\n"
        "Пришлите текст (до 4096 символов) или фото с подписью (до 1024 символов)."
    )
    await teacher.send("Завтра экскурсия в музей, сбор в 9:00 у школы. Возьмите <сменку>!")
    preview = teacher.last_message()
    assert preview.text.startswith("Проверьте объявление\nРодителям 5А: 2 аккаунта в боте.\n\n" + SIGNED + "\n")
    assert "Возьмите <сменку>!" in preview.text
    assert await announcement_items(app, IVANOV) == []  # nothing leaves before Send

    await teacher.click(preview, "✅ Отправить")
    sent = teacher.last_message()
    assert sent.message_id == preview.message_id
    assert sent.text.startswith("✅ Объявление отправляется: 2 аккаунта.\nРодителям 5А · 10:00\n\nДоставлено: 0 из 2")
    assert await deliver(app) == 2

    for parent in (IVANOV, PETROV):
        [received] = texts_of(app, parent)
        assert received == (
            f"{SIGNED}\nРодителям 5А\n\nЗавтра экскурсия в музей, сбор в 9:00 у школы. Возьмите <сменку>!"
        )
    assert texts_of(app, GOLUBEV) == [] and texts_of(app, ARTYOM) == []  # 7Б's parent; a student

    await teacher.click(sent, "🔄 Статус доставки")
    status = teacher.last_message()
    assert status.text.startswith("📢 Объявление отправлено: 2 аккаунта.\nРодителям 5А · 10:00\n\nДоставлено: 2 из 2")
    assert "ждут" not in status.text


async def test_a_photo_to_parents_and_students_is_copied_from_the_teachers_chat(app: App) -> None:
    teacher = await school(app)
    await teacher.send("/announce")
    await teacher.click(teacher.last_message(), "Родители и ученики")
    photo = await teacher.send_photo(caption="Расписание на праздники")
    preview = teacher.last_message()
    assert preview.reply_to_message.message_id == photo.message_id
    assert "📷 Фото выше\nРасписание на праздники" in preview.text
    await teacher.click(preview, "Отправить")
    assert "отправляется: 3 аккаунта" in teacher.last_message().text
    await deliver(app)
    for user_id in (IVANOV, PETROV, ARTYOM):
        copy = app.session.sent("copyMessage", user_id)[-1]
        assert (copy.from_chat_id, copy.message_id) == (TEACHER, photo.message_id)
        assert copy.caption == f"<b>{SIGNED}</b>\n<i>Родителям и ученикам 5А</i>\n\nРасписание на праздники"
    assert not app.session.sent("getFile")  # never downloaded


async def test_long_texts_and_captions_keep_within_telegrams_limits(app: App) -> None:
    teacher = await school(app)
    await teacher.send("/announce")
    await teacher.click(teacher.last_message(), "👪 Родители")
    await teacher.send("а" * 4097)
    assert "В объявлении 4097 символов, а можно не больше 4096" in teacher.last_message().text
    await teacher.send("Строка объявления.\n" * 215 + "Конец")  # 4090 characters: fits alone, not with the header
    assert "(здесь сокращено: будет отправлен весь текст, 4090 симв.)" in teacher.last_message().text
    await teacher.click(teacher.last_message(), "Отправить")
    await deliver(app)
    header, body = texts_of(app, IVANOV)
    assert header == f"{SIGNED}\nРодителям 5А"
    assert body.endswith("Конец") and len(body) == 4090

    await teacher.send("/announce")
    await teacher.click(teacher.last_message(), "👪 Родители")
    caption = "Подпись к фото. " * 63  # 1008 characters: the header does not fit beside it
    await teacher.send_photo(caption=caption)
    await teacher.click(teacher.last_message(), "Отправить")
    await deliver(app)
    copy = app.session.sent("copyMessage", PETROV)[-1]
    assert copy.caption == f"<b>{SIGNED}</b>\n<i>Родителям 5А</i>"
    assert texts_of(app, PETROV)[-1] == caption.strip()


async def test_an_admin_announces_to_the_whole_school_signed_by_the_administration(app: App) -> None:
    await school(app)
    admin = app.client(ADMIN_ID)
    await admin.send("/announce")
    start = admin.last_message()
    assert start.text == "📢 Новое объявление\nДля кого оно?"
    assert buttons(start) == ["🏫 Вся школа", "5А", "7Б", "9В", "📜 Отправленные объявления", "✖️ Отмена"]
    await admin.click(start, "Вся школа")
    assert "👪 Всем родителям школы: 3 аккаунта в боте" in admin.last_message().text
    await admin.click(admin.last_message(), "👪 Родители")
    await admin.send("Школа закрыта на карантин до понедельника.")
    assert "📢 Администрация школы\n" in admin.last_message().text
    await admin.click(admin.last_message(), "Отправить")
    await deliver(app)
    for parent in (IVANOV, PETROV, GOLUBEV):
        assert texts_of(app, parent) == [
            "📢 Администрация школы\nВсем родителям школы\n\nШкола закрыта на карантин до понедельника."
        ]
    assert texts_of(app, ARTYOM) == [] and texts_of(app, TEACHER) == []


async def test_an_admin_linked_as_a_teacher_signs_with_their_name_and_may_go_back(app: App) -> None:
    await school(app)
    await app.link(ADMIN_ID, "t02", "teacher")
    admin = app.client(ADMIN_ID)
    await admin.send("/announce")
    await admin.click(admin.last_message(), "7Б")
    assert "👪 Родителям 7Б: 2 аккаунта в боте" in admin.last_message().text
    await admin.click(admin.last_message(), "Назад")
    await admin.click(admin.last_message(), "5А")
    await admin.click(admin.last_message(), "👪 Родители")
    await admin.send("Собрание переносится.")
    await admin.click(admin.last_message(), "Отправить")
    await deliver(app)
    assert texts_of(app, IVANOV) == ["📢 Администрация школы, Кузнецов А. Н.\nРодителям 5А\n\nСобрание переносится."]


async def test_who_may_not_announce_is_told_so(app: App) -> None:
    await school(app)
    for user_id in (IVANOV, ARTYOM):
        client = app.client(user_id)
        await client.send("/announce")
        assert client.last_message().text.startswith("📢 Объявления отправляют классные руководители")
    await app.link(806, "t02", "teacher")  # teaches 5А but leads no class
    other = app.client(806)
    await other.send("/announce")
    assert other.last_message().text.startswith("📢 Объявления отправляют классные руководители")


async def test_cancel_anywhere_and_stale_or_forged_buttons_change_nothing(app: App) -> None:
    teacher = await school(app)
    await teacher.send("/announce")
    choice = teacher.last_message()
    await forged_click(teacher, choice, "aw:7Б:0")  # not their class
    assert teacher.last_answer() == "Вы не можете отправлять объявления этим получателям. Начните заново: /announce."
    await forged_click(teacher, choice, "ac:*")  # the whole school is for admins
    assert teacher.last_answer() == "Вы не можете отправлять объявления этим получателям. Начните заново: /announce."

    await teacher.click(choice, "👪 Родители")
    await teacher.send("/cancel")
    assert teacher.last_message().text == "Отменено: ничего не отправлено."
    await teacher.send("Это уже не объявление")  # the conversation is over: not taken as a draft
    assert "Проверьте объявление" not in teacher.last_message().text

    await teacher.send("/announce")
    await teacher.click(teacher.last_message(), "👪 Родители")
    await teacher.send("Черновик")
    preview = teacher.last_message()
    await teacher.click(preview, "Отмена")
    assert teacher.last_message().text == "Отменено: ничего не отправлено."
    await forged_click(teacher, preview, "ad:send")  # the old preview's «Send»
    assert teacher.last_answer() == (
        "Этого черновика больше нет: его отправили или отменили. Начните заново: /announce."
    )
    await forged_click(teacher, preview, "as:999")
    assert teacher.last_answer() == "Это объявление вам недоступно."
    assert await announcement_items(app, IVANOV) == []


async def test_send_pressed_twice_sends_once_and_a_new_draft_replaces_the_old(app: App) -> None:
    teacher = await school(app)
    await teacher.send("/announce")
    await teacher.click(teacher.last_message(), "👪 Родители")
    await teacher.send("Первый вариант")
    first = teacher.last_message()
    await teacher.send("Второй вариант")
    second = teacher.last_message()
    assert app.client(TEACHER).core.messages[(TEACHER, first.message_id)].get("reply_markup") is None
    await teacher.click(second, "Отправить")
    await forged_click(teacher, second, "ad:send")
    assert "черновика больше нет" in teacher.last_answer()
    await deliver(app)
    assert texts_of(app, IVANOV) == [f"{SIGNED}\nРодителям 5А\n\nВторой вариант"]


async def test_ten_announcements_a_day_then_the_draft_waits(app: App) -> None:
    teacher = await school(app)
    for number in range(service.DAILY_LIMIT):
        sent = await service.send(
            app.ctx, TEACHER, Audience("5А", False), Draft("text", f"Объявление {number}", TEACHER, 10_000 + number)
        )
        assert isinstance(sent, service.Sent)
        app.clock.advance(minutes=1)
    await teacher.send("/announce")
    await teacher.click(teacher.last_message(), "👪 Родители")
    await teacher.send("Одиннадцатое")
    preview = teacher.last_message()
    await teacher.click(preview, "Отправить")
    assert teacher.last_answer() == (
        "За последние сутки вы отправили 10 объявлений — это предел. Это можно будет отправить в 26.11 10:00: "
        "черновик сохранён, тогда нажмите «Отправить» ещё раз."
    )
    app.clock.set(datetime(2026, 11, 26, 10, 0))
    await teacher.click(preview, "Отправить")
    assert "✅ Объявление отправляется: 2 аккаунта." in teacher.last_message().text


async def test_english_author_and_recipients_each_read_their_language(app: App) -> None:
    await app.link(TEACHER, "t01", "teacher", language="en")
    await follow(app, IVANOV, "p01", "parent", language="en")
    await follow(app, PETROV, "p03", "parent")
    teacher = app.client(TEACHER, language_code="en")
    await teacher.send("/announce")
    assert "👪 To the parents of 5А: 2 accounts in the bot" in teacher.last_message().text
    await teacher.click(teacher.last_message(), "👪 Parents")
    await teacher.send("Excursion tomorrow.")
    assert "📢 Homeroom teacher of 5А Белова Е. В." in teacher.last_message().text
    await teacher.click(teacher.last_message(), "✅ Send")
    assert teacher.last_message().text.startswith("✅ The announcement is on its way to 2 accounts.")
    await deliver(app)
    assert texts_of(app, IVANOV) == [
        "📢 Homeroom teacher of 5А Белова Е. В.\nTo the parents of 5А\n\nExcursion tomorrow."
    ]
    assert texts_of(app, PETROV) == [f"{SIGNED}\nРодителям 5А\n\nExcursion tomorrow."]


async def test_quiet_hours_defer_a_copy_and_the_status_says_it_waits(app: App) -> None:
    teacher = await school(app)
    await follow(app, PETROV, "p03", "parent", quiet_start=time(9, 0), quiet_end=time(12, 0))
    await teacher.send("/announce")
    await teacher.click(teacher.last_message(), "👪 Родители")
    await teacher.send("Напоминание о сборе")
    await teacher.click(teacher.last_message(), "Отправить")
    assert await deliver(app) == 1
    [waiting] = await announcement_items(app, PETROV)
    assert waiting.not_before == datetime(2026, 11, 25, 12, 0, tzinfo=app.clock.tz)
    await teacher.click(teacher.last_message(), "Статус доставки")
    status = teacher.last_message().text
    assert "Доставлено: 1 из 2; ждут отправки: 1" in status
    assert "У кого сейчас время тишины, те получат его, когда оно закончится." in status
    app.clock.set(datetime(2026, 11, 25, 12, 0))
    await deliver(app)
    await teacher.click(teacher.last_message(), "Статус доставки")
    assert "Доставлено: 2 из 2" in teacher.last_message().text


async def test_nobody_in_the_audience_means_nothing_to_send(app: App) -> None:
    await app.link(TEACHER, "t01", "teacher")
    teacher = app.client(TEACHER)
    await teacher.send("/announce")
    await teacher.click(teacher.last_message(), "👪 Родители")
    await teacher.send("Есть кто?")
    preview = teacher.last_message()
    assert "Из этих получателей ещё никто не подключился к боту" in preview.text
    assert buttons(preview) == ["✖️ Отмена"]


async def test_history_lists_what_was_sent_with_its_delivery(app: App) -> None:
    teacher = await school(app)
    await teacher.send("/announce")
    await teacher.click(teacher.last_message(), "📜 Отправленные объявления")
    assert teacher.last_message().text == "📜 Вы ещё не отправляли объявлений. Новое — /announce."
    for text in ("Первое объявление", "Второе объявление"):
        await service.send(
            app.ctx,
            TEACHER,
            Audience("5А", text.startswith("Второе")),
            Draft("text", text, TEACHER, hash(text) % 10_000),
        )
        app.clock.advance(minutes=5)
    await deliver(app)
    await teacher.send("/announce")
    await teacher.click(teacher.last_message(), "📜 Отправленные объявления")
    history = teacher.last_message().text
    assert history.startswith(
        "📜 Ваши объявления\n\n1. 10:05 · Родителям и ученикам 5А\nВторое объявление\nДоставлено: 3 из 3"
    )
    assert "2. 10:00 · Родителям 5А\nПервое объявление\nДоставлено: 2 из 2" in history


async def test_forget_removes_the_authors_announcements_and_copies_not_yet_sent(app: App) -> None:
    teacher = await school(app)
    await follow(app, PETROV, "p03", "parent", quiet_start=time(9, 0), quiet_end=time(12, 0))
    sent = await service.send(app.ctx, TEACHER, Audience("5А", False), Draft("text", "Скоро каникулы", TEACHER, 1))
    assert isinstance(sent, service.Sent)
    await deliver(app)
    async with app.db.transaction():
        await app.ctx.events.user_forgotten(app.ctx, TEACHER)
    assert await announcements_repo.get_announcement(app.db, sent.announcement.id) is None
    assert await announcement_items(app, PETROV) == []  # it was waiting for the quiet hours to end
    assert texts_of(app, IVANOV) == [f"{SIGNED}\nРодителям 5А\n\nСкоро каникулы"]  # what arrived stays
    assert teacher.messages == []
