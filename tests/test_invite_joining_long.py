"""A long class in "who has not joined yet": pages that never pass Telegram's 4096 characters, every waiting family
on exactly one page, a family too long for a page cut short, and codes for all of them."""

from __future__ import annotations

from bot.ediary.demo import DemoProvider
from bot.ediary.model import Person, Role, Sex
from bot.invite.callbacks import JoiningCb
from tests.conftest import ADMIN_ID, App
from tests.linking_support import buttons
from tests.test_invite_bot import issued_codes
from tests.test_invite_joining import WHO, text_of

TELEGRAM_LIMIT = 4096
ADDED = 45
GUARDIANS = 40  # one family with more guardians than a page can list


def enlarge_class(demo: DemoProvider, class_name: str) -> None:
    """More families in the demo's class, with names longer than any line may show."""
    directory = demo.directory
    class_id = directory.class_id(class_name)
    assert class_id is not None
    long = " Длиннофамильная" * 8
    for n in range(ADDED):
        student, parent = f"xs{n:02d}", f"xp{n:02d}"
        directory.people[student] = Person(student, f"Яковлев Ученик {n:02d}{long}", Role.STUDENT, Sex.MALE)
        directory.people[parent] = Person(parent, f"Яковлева Мама {n:02d}{long}", Role.PARENT, Sex.FEMALE)
        directory.student_class[student] = class_id
        directory.parents[student] = (parent,)
        directory.children[parent] = (student,)
    guardians = tuple(f"xg{n:02d}" for n in range(GUARDIANS))
    for guardian in guardians:
        directory.people[guardian] = Person(guardian, f"Ёлкина Опекунша {guardian}{long}", Role.PARENT, Sex.FEMALE)
        directory.children[guardian] = ("xs00",)
    directory.parents["xs00"] = (*directory.parents["xs00"], *guardians)


async def test_a_long_class_comes_in_pages_within_telegrams_limit(app: App, provider: DemoProvider) -> None:
    enlarge_class(provider, "5А")
    admin = app.client(ADMIN_ID, language_code="en")
    await admin.send("/invite 5А")
    await admin.click(admin.last_message(), WHO)
    listed = admin.last_message()
    waiting = 8 + 12 + 2 * ADDED + GUARDIANS
    assert f"{waiting} people have not joined yet." in text_of(listed)
    pager = [b for b in buttons(listed) if "/" in b]
    assert pager and pager[0].startswith("1/")
    pages = int(pager[0].split("/")[1])

    seen: list[str] = []
    for page in range(pages):
        screen = admin.last_message()
        assert len(text_of(screen)) <= TELEGRAM_LIMIT
        assert f"{page + 1}/{pages}" in buttons(screen)
        seen += [
            line.split(",")[0].removeprefix("• ") for line in text_of(screen).splitlines() if line.startswith("• ")
        ]
        if page < pages - 1:
            await admin.click(screen, "▶️")
    assert "▶️" not in buttons(admin.last_message())
    students = [f"Яковлев Ученик {n:02d}" for n in range(ADDED)]
    for name in students:  # every family on exactly one page, its long name cut short
        assert sum(1 for shown in seen if shown.startswith(name)) == 1
    assert all(len(shown) <= 80 for shown in seen) and len(seen) == 8 + ADDED

    first = admin.last_message()
    await admin.click_forged(first, JoiningCb(act="list", cls="5А", page=9999).pack())  # past the end: the last
    assert f"{pages}/{pages}" in buttons(admin.last_message())
    await admin.click(admin.last_message(), "◀️")
    assert f"{pages - 1}/{pages}" in buttons(admin.last_message())


async def test_a_family_too_long_for_a_page_is_cut_and_all_get_codes(app: App, provider: DemoProvider) -> None:
    enlarge_class(provider, "5А")
    admin = app.client(ADMIN_ID, language_code="en")
    await admin.send("/invite 5А")
    await admin.click(admin.last_message(), WHO)
    while "Ёлкина" not in text_of(admin.last_message()):
        await admin.click(admin.last_message(), "▶️")
    page = text_of(admin.last_message())
    assert len(page) <= TELEGRAM_LIMIT and "\n…" in page
    assert 0 < page.count("◦ Ёлкина") < GUARDIANS

    waiting = 8 + 12 + 2 * ADDED + GUARDIANS
    await admin.click(admin.last_message(), f"🎟 Codes for {waiting} people")
    await admin.click(admin.last_message(), "💬 Here in the chat")
    assert all(len(m.text or "") <= TELEGRAM_LIMIT for m in admin.messages)
    assert len(issued_codes(admin.messages)) == waiting
    assert f"{waiting} codes" in text_of(admin.last_message())
