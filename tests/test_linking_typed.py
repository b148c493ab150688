"""How a code may reach the bot: after /link, in the same message as /link, or pasted alone, with whatever
separators a phone puts in (issue 11, items 2 and 19). Every path gives the same answer."""

from __future__ import annotations

import pytest

from storage import links as links_repo
from tests.conftest import App
from tests.linking_support import buttons, one_code

# What phones and people make of the dashes between the groups of a code.
SEPARATED = [
    "{a}-{b}-{c}",
    "{a}–{b}–{c}",  # en dash: a phone turns "--" into one
    "{a}—{b}—{c}",  # em dash
    "{a}_{b}_{c}",
    "{a}.{b}.{c}",
    "{a} {b} {c}",
    "{a}  -  {b}  -  {c}",
    "{a}{b}{c}",
]


def spelled(code: str, pattern: str) -> str:
    return pattern.format(a=code[:4], b=code[4:8], c=code[8:])


async def test_link_with_the_code_in_the_same_message_uses_the_code(app: App) -> None:
    invitation = await one_code(app, "s03")
    user = app.client(530, language_code="en")
    await user.send(f"/link {invitation.display_code}")
    prompt = user.last_message()
    assert "student, class 5А" in prompt.text
    assert buttons(prompt) == ["✅ Yes, link", "✖️ Cancel"]
    await user.click(prompt, "✅ Yes, link")
    assert [link.person_id for link in await links_repo.links_of_user(app.db, 530)] == ["s03"]


async def test_link_with_a_wrong_code_in_the_same_message_answers_like_a_typed_one(app: App) -> None:
    user = app.client(531, language_code="en")
    await user.send("/link 2345-6789-ABCD")
    wrong = user.last_message()
    assert "I don't know this code" in wrong.text
    assert buttons(wrong) == ["✖️ Cancel"]  # still in the code step: the next message is taken as a code
    invitation = await one_code(app, "s04")
    await user.send(invitation.display_code.lower())
    assert buttons(user.last_message()) == ["✅ Yes, link", "✖️ Cancel"]
    await user.send("/link not-a-code")
    assert "doesn't look like a code" in user.last_message().text


@pytest.mark.parametrize("pattern", SEPARATED)
async def test_a_code_pasted_alone_is_recognised_as_after_link(app: App, pattern: str) -> None:
    alone, after_link = await one_code(app, "s05"), await one_code(app, "s05")
    pasted = app.client(532, language_code="en")
    await pasted.send(spelled(alone.code, pattern))
    assert "student, class 5А" in pasted.last_message().text
    assert buttons(pasted.last_message()) == ["✅ Yes, link", "✖️ Cancel"]

    typed = app.client(533, language_code="en")
    await typed.send("/link")
    await typed.send(spelled(after_link.code, pattern))
    assert typed.last_message().text == pasted.last_message().text


async def test_ordinary_words_are_not_taken_for_a_code(app: App) -> None:
    user = app.client(534, language_code="en")
    for text in ("hello there", "thank you very much", "K7QF-93XM", "когда контрольная?"):
        await user.send(text)
        assert "didn't understand" in user.last_message().text
    assert await app.db.fetchval("SELECT COUNT(*) FROM code_attempts") == 0
