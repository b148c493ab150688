"""/invite's "who has not joined yet": a homeroom teacher and an admin see a class's families still waiting (with
who holds a working code), issue codes for exactly them or new codes for all; families that join drop out;
parents, strangers and forged buttons get nothing."""

from __future__ import annotations

from datetime import timedelta

from aiogram.types import Message

from bot.invite.callbacks import JoiningCb
from bot.invite.people import class_holders
from storage import audit
from storage import codes as codes_repo
from tests.conftest import ADMIN_ID, App
from tests.harness import BotClient
from tests.linking_support import buttons, issue
from tests.test_invite_bot import CODE, issued_codes, link_person, sheet_of

WHO = "⏳ Who has not joined yet"


async def open_list(user: BotClient, cls: str, who: str = WHO) -> Message:
    await user.send(f"/invite {cls}")
    await user.click(user.last_message(), who)
    return user.last_message()


def text_of(message: Message) -> str:
    assert message.text is not None, "expected a text message"
    return message.text


def code_of(messages: list[Message], full_name: str) -> str:
    """The code printed under this person's name in the chat."""
    entry = next(m.text for m in messages if m.text and full_name in m.text and CODE.search(m.text))
    found = CODE.search(entry[entry.index(full_name) :])
    assert found is not None
    return found.group()


async def join(app: App, user_id: int, code: str) -> None:
    user = app.client(user_id, language_code="en")
    await user.send(f"/start {code}")
    await user.click(user.last_message(), "Yes, link")


async def test_a_homeroom_teacher_sees_who_of_their_class_has_not_joined_and_issues_their_codes(app: App) -> None:
    await link_person(app, 702, "t01")  # homeroom teacher of 5А
    await app.link(703, "s01", "student")  # Иванов Артём: joined, his parents not yet
    await app.link(704, "p09", "parent")  # Алиса Зайцева's mother: joined, Алиса not yet
    [old] = await issue(app, "p05")  # Сидоров Д. П. holds a code from the CLI
    teacher = app.client(702, language_code="en")
    await teacher.send("/invite")
    assert WHO in buttons(teacher.last_message())
    await teacher.click(teacher.last_message(), WHO)
    screen = teacher.last_message()
    text = text_of(screen)
    assert text.startswith("Class 5А: who has not joined yet\nJoined: students 1 of 8, parents 1 of 12.")
    assert "• Иванов Артём Алексеевич, student: has joined\n    ◦ Иванов Алексей Викторович, parent: no code" in text
    assert "• Зайцева Алиса Максимовна, student: no code yet\n• Иванов" in text  # her mother is not listed
    assert "◦ Сидоров Дмитрий Павлович, parent: code issued 11/25, valid through 12/9" in text
    assert "18 people have not joined yet. 1 of them already has a code that still works." in text
    assert buttons(screen) == ["🎟 Codes for 17 without one", "🔁 New codes for all 18", "⬅️ Back", "✖️ Cancel"]

    await teacher.click(screen, "🎟 Codes for 17 without one")
    assert "17 codes will be issued." in text_of(teacher.last_message())
    await teacher.click(teacher.last_message(), "💬 Here in the chat")
    assert "Class 5А — not joined yet: 17 codes, valid through December 9, 2026." in text_of(teacher.last_message())
    everyone = {h.id for h in await class_holders(app.ctx.ediary, "5А", "all")}
    issued = {e.person_id for e in await audit.events(app.db, user_id=702, event=audit.CODE_ISSUED)}
    assert issued == everyone - {"s01", "p09", "p05"} and len(issued_codes(teacher.messages)) == 17
    stored = await codes_repo.get_code(app.db, old.code_id)
    assert stored is not None and stored.status(app.clock.now()) == codes_repo.VALID  # nobody asked to replace it

    again = await open_list(teacher, "5А")
    assert "18 of them already have codes that still work." in text_of(again)
    assert "no code yet" not in text_of(again) and text_of(again).count("code issued 11/25, valid through 12/9") == 18
    assert buttons(again) == ["🔁 New codes for all 18", "⬅️ Back", "✖️ Cancel"]
    await teacher.click(again, "⬅️ Back")
    assert text_of(teacher.last_message()) == "Codes for class 5А: for whom?"


async def test_an_admin_renews_a_classes_codes_in_russian_and_the_old_ones_stop_working(app: App) -> None:
    await app.link(711, "s11", "student")  # Виноградова Дарья
    await app.link(712, "s12", "student")  # Богданов Иван
    [old] = await issue(app, "p15")  # Дарья's mother, on the 25th
    app.clock.advance(timedelta(days=1))
    admin = app.client(ADMIN_ID, language_code="ru")
    await admin.send("/invite")
    await admin.click(admin.last_message(), "7Б")
    await admin.click(admin.last_message(), "⏳ Кто ещё не присоединился")
    text = text_of(admin.last_message())
    assert "Присоединились: учеников — 2 из 8, родителей — 0 из 11." in text
    assert "• Виноградова Дарья Константиновна, ученица: уже присоединилась" in text  # by the e-diary's sex
    assert "◦ Виноградова Елена Павловна, родитель: код выдан 25.11, действует по 09.12" in text
    assert "• Богданов Иван Владимирович, ученик: уже присоединился" in text
    # the Воробьёвы's parents are listed once, with the first of their two children
    assert text.count("Воробьёв Павел Андреевич") == 1 and "Воробьёва Ксения Павловна, ученица: кода ещё нет" in text
    assert "Ещё не присоединились 17 человек. У 1 из них уже есть действующий код." in text
    assert buttons(admin.last_message())[:2] == ["🎟 Коды тем, у кого нет кода (16)", "🔁 Новые коды всем (17)"]

    await admin.click(admin.last_message(), "🔁 Новые коды всем (17)")
    step = text_of(admin.last_message())
    assert "Будет выдано 17 кодов.\n1 прежний код перестанет действовать." in step
    await admin.click(admin.last_message(), "🖨 Лист для печати (HTML)")
    document = admin.messages[-1]
    assert document.document is not None and document.document.file_name == "codes-7Б-not-joined-2026-11-26.html"
    caption = document.caption or ""
    assert caption.startswith("Класс 7Б — ещё не в боте: 17 кодов, действуют по 10 декабря 2026")
    assert "1 прежний код больше не действует." in caption
    assert sheet_of(app, document).count('<section class="card"') == 17
    stored = await codes_repo.get_code(app.db, old.code_id)
    assert stored is not None and stored.status(app.clock.now()) == codes_repo.REVOKED
    revoked = await audit.events(app.db, user_id=ADMIN_ID, event=audit.CODE_REVOKED)
    assert [(e.person_id, e.detail) for e in revoked] == [("p15", "bot:1")]

    await open_list(admin, "7Б", "⏳ Кто ещё не присоединился")
    assert "У 17 из них уже есть действующий код." in text_of(admin.last_message())
    assert "код выдан 26.11, действует по 10.12" in text_of(admin.last_message())


async def test_codes_issued_then_a_family_that_joins_drops_out_of_the_list(app: App) -> None:
    admin = app.client(ADMIN_ID, language_code="en")
    listed = await open_list(admin, "9В")
    assert "Joined: students 0 of 8, parents 0 of 13." in text_of(listed)
    await admin.click(listed, "🎟 Codes for 21 people")
    await admin.click(admin.last_message(), "💬 Here in the chat")
    await join(app, 731, code_of(admin.messages, "Андреева Мария Юрьевна"))
    await join(app, 732, code_of(admin.messages, "Андреева Галина Петровна"))
    await join(app, 733, code_of(admin.messages, "Титов Константин Олегович"))  # Вероника's father, not her

    after = text_of(await open_list(admin, "9В"))
    assert "Андреева" not in after
    assert "Joined: students 1 of 8, parents 2 of 13." in after
    assert "• Титова Вероника Константиновна, student: code issued 11/25, valid through 12/9" in after
    assert "Титов Константин" not in after
    assert "18 people have not joined yet. 18 of them already have codes that still work." in after


async def test_everyone_joined_while_the_codes_were_being_chosen(app: App) -> None:
    admin = app.client(ADMIN_ID, language_code="en")
    await admin.click(await open_list(admin, "5А"), "🎟 Codes for 20 people")
    step = admin.last_message()
    for n, holder in enumerate(await class_holders(app.ctx.ediary, "5А", "all")):
        await app.link(800 + n, holder.id, holder.role.value)
    await admin.click(step, "💬 Here in the chat")
    shown = admin.last_message()
    assert shown.message_id == step.message_id  # the list again, in place of the question: no codes
    assert "Everyone in class 5А has joined." in text_of(shown) and "students 8 of 8, parents 12 of 12" in text_of(
        shown
    )
    assert buttons(shown) == ["⬅️ Back", "✖️ Cancel"]
    assert await audit.events(app.db, event=audit.CODE_ISSUED) == []


async def test_a_parent_a_student_and_a_stranger_are_refused(app: App) -> None:
    await app.link(741, "p05", "parent")
    await app.link(742, "s03", "student")
    for user_id in (741, 742, 743):
        user = app.client(user_id, language_code="en")
        await user.send("/start")
        for act in ("list", "fmt", "go"):
            forged = JoiningCb(act=act, cls="5А", fmt="msg" if act == "go" else "")
            await user.click_forged(user.last_message(), forged.pack())
            assert "Only the school's administrators and homeroom teachers" in (user.last_answer() or "")
        assert not any("not joined" in (m.text or "") for m in user.messages)
    assert await audit.events(app.db, event=audit.CODE_ISSUED) == []


async def test_forged_buttons_are_stale_for_a_homeroom_teacher_and_an_admin(app: App) -> None:
    await link_person(app, 751, "t01")  # 5А only
    teacher = app.client(751, language_code="en")
    await teacher.send("/invite")
    for forged in (
        JoiningCb(act="list", cls="9В"),  # another class
        JoiningCb(act="fmt", cls="9В", renew=True),
        JoiningCb(act="go", cls="9В", fmt="msg"),
        JoiningCb(act="go", cls="5А", fmt="pdf"),  # no such format
        JoiningCb(act="zap", cls="5А"),  # no such step
        JoiningCb(act="list", cls="5Я"),  # no such class
    ):
        await teacher.click_forged(teacher.last_message(), forged.pack())
        assert "out of date" in (teacher.last_answer() or "")
    admin = app.client(ADMIN_ID, language_code="en")
    await admin.send("/invite")
    for forged in (JoiningCb(act="go", cls="11Z", fmt="msg"), JoiningCb(act="go", cls="", fmt="msg")):
        await admin.click_forged(admin.last_message(), forged.pack())
        assert "out of date" in (admin.last_answer() or "")
    await admin.click_forged(admin.last_message(), "ij:list:5А:10000:0:")  # a page past the bounds
    assert "out of date" in (admin.last_answer() or "")
    issuers = {e.user_id for e in await audit.events(app.db, event=audit.CODE_ISSUED)}
    assert issuers == {None}  # only the teacher's own code, from the test's set-up
