"""/invite with arguments too long or too many: a short clear answer, never a message over Telegram's 4096
characters (issue 11, item 17); and no invite or linking screen grows past the limit with long input."""

from __future__ import annotations

import dataclasses

from tests.conftest import ADMIN_ID, App
from tests.test_invite_bot import link_person

TELEGRAM_LIMIT = 4096


def within_limit(user) -> None:
    for message in user.messages:
        assert len(message.text or message.caption or "") <= TELEGRAM_LIMIT


async def test_a_5000_character_argument_gets_a_short_answer_for_an_admin_and_a_teacher(app: App) -> None:
    await link_person(app, 720, "t01")
    for user_id in (ADMIN_ID, 720):
        user = app.client(user_id, language_code="en")
        for argument in ("x" * 5000, " ".join(["zz99"] * 1000), "s01 " * 1250):
            await user.send(f"/invite {argument}")
            answer = user.last_message().text
            assert "too long" in answer and len(answer) < 500
        within_limit(user)


async def test_one_long_unknown_id_is_quoted_shortened(app: App) -> None:
    admin = app.client(ADMIN_ID, language_code="en")
    await admin.send("/invite " + "y" * 900)
    answer = admin.last_message().text
    assert answer.startswith("I don't know yyyy") and "…" in answer and len(answer) < 300


async def test_many_people_named_at_once_fit_in_one_screen(app: App) -> None:
    admin = app.client(ADMIN_ID, language_code="en")
    everyone = [person.id for person in await app.ctx.provider.list_people()]
    named = everyone[:30]
    await admin.send("/invite " + " ".join(named))
    screen = admin.last_message().text
    assert screen.startswith("Codes for:") and len(screen) <= TELEGRAM_LIMIT
    await admin.click(admin.last_message(), "💬 Here in the chat")
    within_limit(admin)


async def test_people_with_very_long_names_are_listed_as_far_as_they_fit(app: App) -> None:
    directory = app.ctx.provider.directory
    named = [person.id for person in await app.ctx.provider.list_people()][:30]
    for person_id in named:  # an e-diary may hold names (or a teacher's subjects) far longer than the demo's
        person = directory.people[person_id]
        directory.people[person_id] = dataclasses.replace(person, full_name=person.full_name + " Оглы" * 40)
    admin = app.client(ADMIN_ID, language_code="en")
    await admin.send("/invite " + " ".join(named))
    screen = admin.last_message().text
    assert len(screen) <= TELEGRAM_LIMIT and "more" in screen.splitlines()[-3]
    await admin.click(admin.last_message(), "💬 Here in the chat")
    within_limit(admin)
    assert "30 codes" in admin.last_message().text  # everyone named got a code


async def test_linking_answers_stay_short_whatever_is_typed(app: App) -> None:
    user = app.client(721, language_code="en")
    for text in ("/link " + "K7QF" * 1200, "/start " + "Q" * 4000, "K7QF-" * 900):
        await user.send(text)
    await user.send("/link")
    await user.send("Z" * 4000)
    within_limit(user)
    assert "doesn't look like a code" in user.last_message().text
