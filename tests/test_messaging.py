"""Writing to a teacher: a parent (or a student) picks a child and a teacher, writes, checks and sends."""

from __future__ import annotations

from bot.ediary.provider import ProviderUnavailable
from storage import messages as messages_repo
from tests.conftest import App
from tests.messaging_story import (
    PARENT,
    PARENT_NAME,
    STUDENT,
    TEACHER,
    buttons,
    deliver,
    family_and_teacher,
    forged_click,
    message_items,
    open_compose,
    visible_texts,
    write_to_teacher,
)


async def test_parent_picks_child_then_teacher_homeroom_first_and_the_teacher_gets_it_with_names(app: App) -> None:
    parent, teacher = await family_and_teacher(app)

    await parent.send("✉️ Написать учителю")  # the main-menu button
    chooser = parent.last_message()
    assert "О каком ребёнке" in chooser.text
    assert buttons(chooser)[:2] == ["Артём Иванов · 5А", "Софья Иванова · 9В"]

    await parent.click(chooser, "Артём")
    teachers = parent.last_message()
    assert teachers.message_id == chooser.message_id  # edited in place
    labels = buttons(teachers)
    assert labels[0] == "⭐ Белова Е. В. · Математика"  # the homeroom teacher first
    assert "Васильева" not in teachers.text  # t04 teaches 9В only
    assert "Белова Елена Викторовна — Математика, классный руководитель" in teachers.text

    await parent.click(teachers, "Белова")
    assert "Пришлите текст (до 4096 символов)" in parent.last_message().text
    await parent.send("Здравствуйте! Артём завтра не придёт: болеет.")
    preview = parent.last_message()
    assert "Проверьте сообщение" in preview.text and "Артём завтра не придёт" in preview.text
    assert "Белова Елена Викторовна" in preview.text
    assert await message_items(app, TEACHER) == []  # nothing leaves before Send

    await parent.click(preview, "Отправить")
    assert "✅ Отправлено: Белова Елена Викторовна" in parent.last_message().text
    assert await deliver(app) == 1

    relayed = teacher.last_message()
    assert f"{PARENT_NAME}, родитель ученика Иванов Артём Алексеевич, 5А класс" in relayed.text
    assert "Артём завтра не придёт: болеет." in relayed.text
    assert buttons(relayed) == ["↩️ Ответить", "💬 Переписка"]
    for telegram_identity in ("Лёша", "alexey_tg", str(PARENT)):
        assert telegram_identity not in relayed.text
    assert relayed.forward_origin is None


async def test_student_writes_to_their_own_teacher_without_choosing_a_child(app: App) -> None:
    await app.link(STUDENT, "s01", "student")
    await app.link(TEACHER, "t01", "teacher")
    student = app.client(STUDENT, first_name="Тёма")

    await student.send("/message")
    assert "Кому вы хотите написать? Ученик: Иванов Артём Алексеевич, 5А класс." in student.last_message().text
    answer = await write_to_teacher(student, "Можно пересдать контрольную?", child=None)
    assert "✅ Отправлено" in answer.text
    await deliver(app)

    relayed = app.client(TEACHER).last_message()
    assert "Иванов Артём Алексеевич, ученик 5А класса" in relayed.text
    assert "Можно пересдать контрольную?" in relayed.text
    assert "Тёма" not in relayed.text


async def test_a_photo_is_relayed_by_copy_message_and_the_bot_keeps_no_file(app: App) -> None:
    parent, teacher = await family_and_teacher(app)
    await open_compose(parent)
    photo = await parent.send_photo(caption="Справка от врача")
    preview = parent.last_message()
    assert preview.reply_to_message.message_id == photo.message_id  # the preview points at the photo
    assert "📷 Фото" in preview.text and "Справка от врача" in preview.text
    await parent.click(preview, "Отправить")
    await deliver(app)

    copy = app.session.sent("copyMessage", TEACHER)[-1]
    assert (copy.from_chat_id, copy.message_id) == (PARENT, photo.message_id)
    relayed = teacher.last_message()
    assert relayed.photo and PARENT_NAME in relayed.caption and "Справка от врача" in relayed.caption
    assert buttons(relayed) == ["↩️ Ответить", "💬 Переписка"]
    assert not app.session.sent("getFile")  # never downloaded
    stored = await messages_repo.last_message(app.db, (await messages_repo.threads_of_people(app.db, ["t01"]))[0].id)
    assert (stored.kind, stored.body, stored.source_message_id) == ("photo", "Справка от врача", photo.message_id)


async def test_a_document_goes_the_same_way(app: App) -> None:
    parent, teacher = await family_and_teacher(app)
    await open_compose(parent)
    await parent.send_document("zayavlenie.pdf")
    assert "📎 Документ «zayavlenie.pdf»" in parent.last_message().text
    await parent.click(parent.last_message(), "Отправить")
    await deliver(app)
    assert teacher.last_message().document.file_name == "zayavlenie.pdf"
    assert "📎 Документ «zayavlenie.pdf»" in teacher.last_message().caption


async def test_text_over_4096_characters_is_refused_clearly_and_4096_arrives_whole(app: App) -> None:
    parent, teacher = await family_and_teacher(app)
    await open_compose(parent)
    await parent.send("а" * 4097)
    refusal = parent.last_message().text
    assert "4097" in refusal and "4096" in refusal and "ничего не отправлено" in refusal

    longest = ("Строка письма номер такая-то. " * 200)[:4095] + "!"
    await parent.send(longest)  # still writing: the refusal kept the conversation going
    assert "будет отправлен весь текст, 4096 симв." in parent.last_message().text
    await parent.click(parent.last_message(), "Отправить")
    await deliver(app)
    header, body = teacher.messages  # too long to share a message with the header: it follows it, whole
    assert PARENT_NAME in header.text
    assert body.text == longest
    assert buttons(body) == ["↩️ Ответить", "💬 Переписка"]


async def test_long_captions_and_unsupported_content_get_clear_answers(app: App) -> None:
    parent, _ = await family_and_teacher(app)
    await open_compose(parent)
    await parent.send_photo(caption="б" * 801)
    assert "В подписи 801 символов, а можно не больше 800" in parent.last_message().text
    await parent._post(
        sticker={
            "file_id": "st1",
            "file_unique_id": "st1",
            "type": "regular",
            "width": 512,
            "height": 512,
            "is_animated": False,
            "is_video": False,
        }
    )
    assert "только текст, фото и документы" in parent.last_message().text
    assert await message_items(app, TEACHER) == []


async def test_rewrite_and_cancel_send_nothing(app: App) -> None:
    parent, teacher = await family_and_teacher(app)
    await open_compose(parent)
    await parent.send("первый вариант")
    first_preview = parent.last_message()
    await parent.click(first_preview, "Переписать")
    await parent.send("второй вариант")
    await parent.click(parent.last_message(), "Отправить")
    await deliver(app)
    assert "второй вариант" in teacher.last_message().text
    assert not any("первый вариант" in text for text in visible_texts(teacher))

    await open_compose(parent)
    await parent.send("не буду отправлять")
    await parent.click(parent.last_message(), "Отмена")
    assert "Отменено: ничего не отправлено" in parent.last_message().text
    await parent.send("просто текст")  # no longer a draft
    assert "не понял" in parent.last_message().text
    assert len(await message_items(app, TEACHER)) == 1


async def test_send_pressed_twice_sends_once(app: App) -> None:
    parent, teacher = await family_and_teacher(app)
    await open_compose(parent)
    await parent.send("один раз")
    preview = parent.last_message()
    await parent.click(preview, "Отправить")
    await forged_click(parent, preview, "md:send")  # the same button again (a double tap)
    assert "уже нет" in parent.last_answer()
    await deliver(app)
    assert [t for t in visible_texts(teacher) if "один раз" in t] != [] and len(teacher.messages) == 1


async def test_a_new_photo_replaces_the_draft_and_the_old_preview_loses_its_buttons(app: App) -> None:
    parent, teacher = await family_and_teacher(app)
    await open_compose(parent)
    await parent.send("черновик")
    old_preview = parent.last_message()
    await parent.send_photo(caption="вместо текста")
    assert not buttons(next(m for m in parent.messages if m.message_id == old_preview.message_id))
    await parent.click(parent.last_message(), "Отправить")
    await deliver(app)
    assert teacher.last_message().photo and "вместо текста" in teacher.last_message().caption


async def test_commands_and_menu_buttons_still_work_while_writing(app: App) -> None:
    parent, _ = await family_and_teacher(app)
    await open_compose(parent)
    await parent.send("/inbox")
    assert "Переписки пока нет" in parent.last_message().text
    await parent.send("📥 Сообщения")  # the main-menu button
    assert "Переписки пока нет" in parent.last_message().text
    await parent.send("/cancel")
    assert "Отменено" in parent.last_message().text
    assert await message_items(app, TEACHER) == []


async def test_forged_child_and_teacher_ids_are_refused_like_unknown_ones(app: App) -> None:
    parent, _ = await family_and_teacher(app)
    await parent.send("/message")
    chooser = parent.last_message()
    await forged_click(parent, chooser, "mc:s09")  # somebody else's child
    assert parent.last_answer() == "Этот ученик вам недоступен."
    await forged_click(parent, chooser, "mc:s99")  # nobody at all
    assert parent.last_answer() == "Этот ученик вам недоступен."
    await forged_click(parent, chooser, "mt:s01:t04")  # t04 does not teach 5А
    assert parent.last_answer() == "Вы не можете написать этому учителю об этом ученике."
    await forged_click(parent, chooser, "mt:s09:t03")  # t03 teaches 7Б, but s09 is not theirs
    assert parent.last_answer() == "Вы не можете написать этому учителю об этом ученике."


async def test_who_cannot_write_is_told_why(app: App) -> None:
    stranger = app.client(7001)
    await stranger.send("/message")
    assert "сначала привяжите аккаунт" in stranger.last_message().text
    await app.link(TEACHER, "t01", "teacher")
    teacher = app.client(TEACHER)
    await teacher.send("/message")
    assert "Родители и ученики тоже пишут вам здесь" in teacher.last_message().text  # and they may start one


async def test_english_speaking_parent_and_russian_teacher_each_read_their_language(app: App) -> None:
    await app.link(PARENT, "p01", "parent", language="en")
    await app.link(TEACHER, "t01", "teacher")
    parent = app.client(PARENT, language_code="en")
    await parent.send("/message")
    await parent.click(parent.last_message(), "Артём")
    await parent.click(parent.last_message(), "Белова")
    await parent.send("Hello! Artyom is ill today.")
    await parent.click(parent.last_message(), "Send")
    assert parent.last_message().text.startswith("✅ Sent to Белова Елена Викторовна")
    await deliver(app)
    assert "родитель ученика Иванов Артём Алексеевич" in app.client(TEACHER).last_message().text


async def test_an_e_diary_outage_gets_a_short_answer_and_changes_nothing(app: App) -> None:
    parent, _ = await family_and_teacher(app)
    demo = app.ctx.provider

    class TeachersUnavailable:
        """The demo e-diary whose teacher list times out."""

        def __getattr__(self, name: str) -> object:
            return getattr(demo, name)

        async def class_teachers(self, class_name: str) -> list:
            raise ProviderUnavailable("timeout")

    await parent.send("/message")
    app.ctx.provider = TeachersUnavailable()
    try:
        await parent.click(parent.last_message(), "Артём")
    finally:
        app.ctx.provider = demo
    assert parent.last_answer().startswith("Электронный дневник сейчас не отвечает")
    assert "О каком ребёнке" in parent.last_message().text  # the chooser is still there to try again
    await parent.click(parent.last_message(), "Артём")
    assert "Кому вы хотите написать" in parent.last_message().text
