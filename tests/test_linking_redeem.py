"""A parent, a student or a teacher links their Telegram account with the one-time code from school.

Codes that are refused (wrong, expired, used, too many attempts, forged buttons) are in
test_linking_redeem_refused.py.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from bot.app import all_features
from bot.features import Events, Feature
from storage import links as links_repo
from tests.conftest import App
from tests.linking_support import buttons, one_code, stored

PARENT = "p01"  # Иванов Алексей Викторович: children s01 (5А) and s17 (9В)


@pytest.fixture
def linked_events(app: App) -> Iterator[list[tuple[int, str, str]]]:
    """What features hear through ctx.events.person_linked."""
    heard: list[tuple[int, str, str]] = []

    async def listener(ctx, user_id: int, person_id: str, role: str) -> None:
        heard.append((user_id, person_id, role))

    app.ctx.events = Events((*all_features(), Feature("listener", on_person_linked=(listener,))))
    yield heard


async def test_deep_link_shows_the_parent_and_each_child_then_links_after_confirming(
    app: App, linked_events: list
) -> None:
    invitation = await one_code(app, PARENT)
    user = app.client(501, language_code="en")

    await user.send(f"/start {invitation.code}")

    prompt = user.last_message()
    assert "Иванов Алексей Викторович — parent" in prompt.text
    assert "Иванов Артём Алексеевич — 5А" in prompt.text
    assert "Иванова Софья Алексеевна — 9В" in prompt.text
    assert buttons(prompt) == ["✅ Yes, link", "✖️ Cancel"]
    assert await links_repo.links_of_user(app.db, 501) == []  # nothing happens before the confirmation
    assert (await stored(app, invitation)).used_at is None

    await user.click(prompt, "✅ Yes, link")

    assert [(link.person_id, link.role) for link in await links_repo.links_of_user(app.db, 501)] == [(PARENT, "parent")]
    assert "Done! This account is now linked to" in user.messages[-2].text
    assert buttons(user.messages[-2]) == []  # the question's buttons are gone
    assert "📊 Today's marks" in user.reply_keyboard()  # the linked main menu
    assert linked_events == [(501, PARENT, "parent")]
    code = await stored(app, invitation)
    assert code.used_by == 501 and code.used_at is not None


async def test_the_children_shown_are_the_parents_real_children(app: App) -> None:
    provider = app.ctx.provider
    children = await provider.children_of(PARENT)
    assert sorted(c.class_name for c in children) == ["5А", "9В"]
    invitation = await one_code(app, PARENT)
    user = app.client(502, language_code="en")
    await user.send(f"/start {invitation.code}")
    text = user.last_message().text
    for child in children:
        assert f"{child.person.full_name} — {child.class_name}" in text


async def test_link_asks_for_the_code_with_a_cancel_button(app: App) -> None:
    invitation = await one_code(app, "s01")
    user = app.client(503, language_code="en")
    await user.send("/link")
    prompt = user.last_message()
    assert "Send me the code" in prompt.text
    await user.click(prompt, "✖️ Cancel")
    assert "Cancelled" in user.last_message().text
    assert buttons(user.last_message()) == []
    # the conversation is over: plain text is not taken for a code any more
    await user.send("hello there")
    assert "didn't understand" in user.last_message().text
    assert (await stored(app, invitation)).used_at is None
    assert await links_repo.links_of_user(app.db, 503) == []


async def test_the_menu_button_starts_linking_and_the_code_may_be_typed_loosely(app: App) -> None:
    invitation = await one_code(app, "s01")
    user = app.client(504, language_code="en")
    await user.send("/start")
    await user.send("🔑 Link an account")
    assert "Send me the code" in user.last_message().text
    loose = invitation.display_code.lower().replace("-", " ")
    await user.send(loose)
    prompt = user.last_message()
    assert "student, class 5А" in prompt.text
    await user.click(prompt, "✅ Yes, link")
    assert [link.person_id for link in await links_repo.links_of_user(app.db, 504)] == ["s01"]


async def test_cancel_at_the_confirmation_leaves_the_code_unused(app: App) -> None:
    invitation = await one_code(app, "s02")
    user = app.client(505, language_code="en")
    await user.send(f"/start {invitation.code}")
    await user.click(user.last_message(), "✖️ Cancel")
    assert "nothing was linked" in user.last_message().text
    assert (await stored(app, invitation)).used_at is None
    # and it still works afterwards
    await user.send(f"/start {invitation.code}")
    await user.click(user.last_message(), "✅ Yes, link")
    assert [link.person_id for link in await links_repo.links_of_user(app.db, 505)] == ["s02"]


async def test_a_code_pasted_without_link_is_understood(app: App) -> None:
    invitation = await one_code(app, "s10")
    user = app.client(513, language_code="en")
    await user.send(invitation.display_code)
    assert "student, class 7Б" in user.last_message().text


async def test_the_code_step_asks_for_text_when_sent_a_photo(app: App) -> None:
    user = app.client(514, language_code="en")
    await user.send("/link")
    await user.send_photo()
    assert "type the code as text" in user.last_message().text


async def test_confirmation_in_russian(app: App) -> None:
    invitation = await one_code(app, PARENT)
    user = app.client(524, language_code="ru")
    await user.send(f"/start {invitation.code}")
    text = user.last_message().text
    assert "родитель" in text and "Дети:" in text
    assert buttons(user.last_message()) == ["✅ Да, привязать", "✖️ Отмена"]
    await user.click(user.last_message(), "✅ Да, привязать")
    assert "Готово" in user.messages[-2].text


async def test_chatting_during_the_confirmation_keeps_it_open(app: App) -> None:
    invitation = await one_code(app, "s20")
    user = app.client(525, language_code="en")
    await user.send(f"/start {invitation.code}")
    prompt = user.last_message()
    await user.send("ok")
    assert "answer with a button" in user.last_message().text
    await user.click(prompt, "✅ Yes, link")
    assert [link.person_id for link in await links_repo.links_of_user(app.db, 525)] == ["s20"]
