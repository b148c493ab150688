"""/invite in the bot: an admin issues codes for anyone, a homeroom teacher for their own class only."""

from __future__ import annotations

import re

from bot.invite.callbacks import InviteCb
from bot.invite.people import class_holders
from storage import audit
from storage import links as links_repo
from tests.conftest import ADMIN_ID, App
from tests.harness import updates as u
from tests.linking_support import buttons, one_code

CODE = re.compile(r"\b[2-9A-Z]{4}-[2-9A-Z]{4}-[2-9A-Z]{4}\b")


async def link_person(app: App, user_id: int, teacher_id: str) -> None:
    invitation = await one_code(app, teacher_id)
    user = app.client(user_id, language_code="en")
    await user.send(f"/start {invitation.code}")
    await user.click(user.last_message(), "Yes, link")


def issued_codes(messages) -> list[str]:
    return [code for m in messages for code in CODE.findall(m.text or "")]


def sheet_of(app: App, message) -> str:
    assert message.document is not None, "expected the sheet as a document"
    return app.session.core.files[message.document.file_id].decode("utf-8")


async def test_an_admin_issues_codes_for_a_class_as_messages(app: App) -> None:
    admin = app.client(ADMIN_ID, language_code="en")
    await admin.send("/invite")
    menu = admin.last_message()
    assert buttons(menu) == ["5А", "7Б", "9В", "👩‍🏫 All teachers", "✖️ Cancel"]
    await admin.click(menu, "7Б")
    await admin.click(admin.last_message(), "Parents")
    await admin.click(admin.last_message(), "💬 Here in the chat")

    parents = await class_holders(app.ctx.provider, "7Б", "parent")
    codes = issued_codes(admin.messages)
    assert len(codes) == len(parents) == len(set(codes))
    text = "\n".join(m.text for m in admin.messages)
    for parent in parents:
        assert parent.person.full_name in text
    assert "https://t.me/ediary_test_bot?start=" in text
    for parent in parents:  # the teacher sees whose parent each one is
        names = ", ".join(f"{c.person.short_name} ({c.class_name})" for c in parent.children)
        assert f"children: {names}" in text and "7Б" in names
    assert f"Class 7Б: parents: {len(parents)} codes, valid through December 9, 2026" in text
    issued = await audit.events(app.db, user_id=ADMIN_ID, event=audit.CODE_ISSUED)
    assert sorted(e.person_id for e in issued) == sorted(p.id for p in parents)

    # a code from the message works for the parent it was printed under
    first = parents[0]
    entry = next(m.text for m in admin.messages if first.person.full_name in (m.text or "") and CODE.search(m.text))
    code = CODE.search(entry[entry.index(first.person.full_name) :]).group()
    parent = app.client(701, language_code="en")
    await parent.send(f"/start {code}")
    assert first.person.full_name in parent.last_message().text
    await parent.click(parent.last_message(), "Yes, link")
    assert [link.person_id for link in await links_repo.links_of_user(app.db, 701)] == [first.id]


async def test_a_homeroom_teacher_gets_the_printable_sheet_for_their_class(app: App) -> None:
    await link_person(app, 702, "t01")  # Белова Е. В., homeroom teacher of 5А
    teacher = app.client(702, language_code="en")
    await teacher.send("/invite")
    step = teacher.last_message()
    assert "Codes for class 5А" in step.text  # only one class of their own: no class question
    await teacher.click(step, "Students and parents")
    await teacher.click(teacher.last_message(), "🖨 Printable sheet (HTML)")

    document = teacher.messages[-1]
    assert document.document.file_name.endswith(".html")
    assert "Print it on A4" in document.caption
    sheet = sheet_of(app, document)
    people = await class_holders(app.ctx.provider, "5А", "all")
    assert sheet.count('<section class="card"') == len(people)
    for person in people:
        assert f'data-person="{person.id}"' in sheet
    assert "Class 5А: students and parents" in teacher.messages[-2].text


async def test_a_teacher_cannot_issue_codes_for_another_class_even_with_forged_buttons(app: App) -> None:
    await link_person(app, 703, "t01")
    teacher = app.client(703, language_code="en")
    await teacher.send("/invite")
    step = teacher.last_message()
    for forged in (
        InviteCb(step="role", cls="9В"),
        InviteCb(step="fmt", cls="9В", role="all"),
        InviteCb(step="go", cls="9В", role="all", fmt="msg"),
        InviteCb(step="go", cls="", role="teacher", fmt="msg"),
        InviteCb(step="go", cls="5А", role="everyone", fmt="msg"),
    ):
        data = u.as_dict(step)
        data["reply_markup"] = {"inline_keyboard": [[{"text": "x", "callback_data": forged.pack()}]]}
        app.session.core.messages[(data["chat"]["id"], data["message_id"])] = data
        await teacher.click(step, callback_data=forged.pack())
        assert "out of date" in teacher.last_answer()
    assert await audit.events(app.db, event=audit.CODE_ISSUED, user_id=703) == []


async def test_a_teacher_may_name_people_of_their_class_only(app: App) -> None:
    await link_person(app, 704, "t01")
    teacher = app.client(704, language_code="en")
    await teacher.send("/invite s17")  # 9В: not their class
    refused = teacher.last_message().text
    await teacher.send("/invite zz99")  # nobody
    assert teacher.last_message().text == refused.replace("s17", "zz99")
    assert "students of 5А and their parents" in refused
    await teacher.send("/invite t02")  # a colleague
    assert "can't issue codes for t02" in teacher.last_message().text

    await teacher.send("/invite s01 p01")  # a 5А student and her father
    assert "Иванов Артём Алексеевич" in teacher.last_message().text
    await teacher.click(teacher.last_message(), "💬 Here in the chat")
    assert len(issued_codes(teacher.messages)) == 2


async def test_an_admin_may_invite_anyone_and_all_teachers(app: App) -> None:
    admin = app.client(ADMIN_ID, language_code="en")
    await admin.send("/invite t05")
    await admin.click(admin.last_message(), "💬 Here in the chat")
    assert len(issued_codes(admin.messages)) == 1
    await admin.send("/invite")
    await admin.click(admin.last_message(), "👩‍🏫 All teachers")
    await admin.click(admin.last_message(), "🖨 Printable sheet (HTML)")
    sheet = sheet_of(app, admin.messages[-1])
    assert sheet.count('<section class="card"') == 11
    await admin.send("/invite 9в")  # a class, typed loosely
    assert "Codes for class 9В" in admin.last_message().text
    await admin.send("/invite nobody")
    assert "I don't know nobody" in admin.last_message().text


async def test_parents_students_and_strangers_may_not_invite(app: App) -> None:
    await link_person(app, 705, "p05")
    for user_id in (705, 706):
        user = app.client(user_id, language_code="en")
        await user.send("/invite")
        assert "Only the school's administrators and homeroom teachers" in user.last_message().text
        await user.send("/invite 5А")
        assert "Only the school's administrators and homeroom teachers" in user.last_message().text
    stranger = app.client(706, language_code="en")
    await stranger.send("/start")
    msg = stranger.last_message()
    forged = InviteCb(step="go", cls="5А", role="all", fmt="msg").pack()
    data = u.as_dict(msg)
    data["reply_markup"] = {"inline_keyboard": [[{"text": "x", "callback_data": forged}]]}
    app.session.core.messages[(data["chat"]["id"], data["message_id"])] = data
    await stranger.click(msg, callback_data=forged)
    assert "Only the school's administrators" in stranger.last_answer()
    issuers = {e.user_id for e in await audit.events(app.db, event=audit.CODE_ISSUED)}
    assert issuers.isdisjoint({705, 706})


async def test_invite_can_be_cancelled(app: App) -> None:
    admin = app.client(ADMIN_ID, language_code="en")
    await admin.send("/invite")
    await admin.click(admin.last_message(), "5А")
    await admin.click(admin.last_message(), "✖️ Cancel")
    assert "no codes were issued" in admin.last_message().text
    assert await audit.events(app.db, event=audit.CODE_ISSUED) == []


async def test_invite_in_russian(app: App) -> None:
    admin = app.client(ADMIN_ID, language_code="ru")
    await admin.send("/invite 5А")
    assert buttons(admin.last_message())[:3] == ["Ученики", "Родители", "Ученики и родители"]


async def test_a_progress_line_shows_at_once_and_becomes_the_summary(app: App) -> None:
    admin = app.client(ADMIN_ID, language_code="en")
    await admin.send("/invite 7Б")
    await admin.click(admin.last_message(), "Students and parents")
    pressed = admin.last_message()
    core = app.session.core
    before = len(core.requests)
    await admin.click(pressed, "💬 Here in the chat")
    calls = core.requests[before:]
    methods = [method for method, _ in calls]
    edits = [params["text"] for method, params in calls if method == "editMessageText"]
    people = len(await class_holders(app.ctx.provider, "7Б", "all"))
    assert edits[0] == f"Issuing {people} codes…"
    # the button stops spinning with the progress line, before the codes go out; answered once
    assert methods.index("editMessageText") < methods.index("answerCallbackQuery") < methods.index("sendMessage")
    assert methods.count("answerCallbackQuery") == 1
    assert methods[-1] == "editMessageText"  # the summary replaces the progress line once the codes are out
    summary = next(m for m in admin.messages if m.message_id == pressed.message_id).text
    assert summary.startswith(f"Class 7Б: students and parents: {people} codes")
