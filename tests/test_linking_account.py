"""What an account holds: several identities, /me, /unlink of one of them, and /forget of everything."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from bot.app import all_features
from bot.features import Events, Feature
from bot.linking.callbacks import UnlinkConfirmCb, UnlinkPickCb
from storage import audit, outbox
from storage import links as links_repo
from storage import preferences as prefs_repo
from storage import users as users_repo
from tests.conftest import App
from tests.harness import updates as u
from tests.linking_support import buttons, issue, one_code, stored


async def link_by_code(app: App, user_id: int, person_id: str, language_code: str = "en") -> None:
    invitation = await one_code(app, person_id)
    user = app.client(user_id, language_code=language_code)
    await user.send(f"/start {invitation.code}")
    await user.click(user.last_message(), "Yes, link" if language_code == "en" else "Да, привязать")


def press_forged(app: App, user, message, callback_data: str):
    """Put forged callback data into one of the user's messages (what a modified client can send)."""
    data = u.as_dict(message)
    data["reply_markup"] = {"inline_keyboard": [[{"text": "forged", "callback_data": callback_data}]]}
    app.session.core.messages[(data["chat"]["id"], data["message_id"])] = data
    return user.click(message, callback_data=callback_data)


async def test_a_teacher_who_is_also_a_parent_holds_both_identities(app: App) -> None:
    await link_by_code(app, 601, "t01")
    await link_by_code(app, 601, "p03")
    user = app.client(601, language_code="en")
    await user.send("/me")
    text = user.last_message().text
    assert "Белова Елена Викторовна — teacher (Математика); homeroom teacher of 5А" in text
    assert "parent" in text and "— 5А" in text and "— 7Б" in text  # p03's children s02 (5А) and s09 (7Б)
    assert {(link.person_id, link.role) for link in await links_repo.links_of_user(app.db, 601)} == {
        ("t01", "teacher"),
        ("p03", "parent"),
    }


async def test_two_parents_of_one_child_each_link_their_own_account_with_their_own_code(app: App) -> None:
    mother_code, father_code = await issue(app, "p02", "p01")
    mother, father = app.client(602, language_code="en"), app.client(603, language_code="en")
    await mother.send(f"/start {mother_code.code}")
    await mother.click(mother.last_message(), "Yes, link")
    await father.send(f"/start {father_code.code}")
    await father.click(father.last_message(), "Yes, link")
    assert [link.person_id for link in await links_repo.links_of_user(app.db, 602)] == ["p02"]
    assert [link.person_id for link in await links_repo.links_of_user(app.db, 603)] == ["p01"]
    # both see the same children
    for parent in (mother, father):
        await parent.send("/me")
        assert "— 5А" in parent.last_message().text and "— 9В" in parent.last_message().text
    # the mother's code cannot be used by the father as well: it is spent
    await father.send(f"/start {mother_code.code}")
    assert "already been used" in father.last_message().text


async def test_me_before_linking(app: App) -> None:
    user = app.client(604, language_code="en")
    await user.send("/me")
    assert "not linked to anyone yet" in user.last_message().text


async def test_unlink_removes_exactly_the_chosen_identity(app: App) -> None:
    await link_by_code(app, 605, "t01")
    await link_by_code(app, 605, "p03")
    user = app.client(605, language_code="en")
    await user.send("/unlink")
    choice = user.last_message()
    # one name order everywhere, as the e-diary and /me write it (issue 11, item 10)
    assert buttons(choice) == ["Петров Сергей Николаевич — parent", "Белова Елена Викторовна — teacher", "✖️ Cancel"]
    await user.click(choice, callback_data=UnlinkPickCb(person="p03").pack())
    assert "Remove this link?\nПетров Сергей Николаевич — parent" in user.last_message().text
    assert await links_repo.links_of_user(app.db, 605) != []  # asked first, nothing removed yet
    await user.click(user.last_message(), "Unlink")
    assert "the link is removed" in user.messages[-2].text
    assert "still linked" in user.messages[-1].text  # the teacher link remains
    assert [link.person_id for link in await links_repo.links_of_user(app.db, 605)] == ["t01"]
    unlinks = await audit.events(app.db, user_id=605, event=audit.UNLINKED)
    assert [e.person_id for e in unlinks] == ["p03"]


async def test_unlinking_the_last_identity_brings_back_the_first_menu(app: App) -> None:
    await link_by_code(app, 606, "s13")
    user = app.client(606, language_code="en")
    await user.send("/unlink")
    await user.click(user.last_message(), callback_data=UnlinkPickCb(person="s13").pack())
    await user.click(user.last_message(), "Keep")
    assert "Nothing changed" in user.last_message().text
    assert len(await links_repo.links_of_user(app.db, 606)) == 1
    await user.send("/unlink")
    await user.click(user.last_message(), callback_data=UnlinkPickCb(person="s13").pack())
    await user.click(user.last_message(), "Unlink")
    assert await links_repo.links_of_user(app.db, 606) == []
    assert user.reply_keyboard() == ["🔑 Link an account", "❓ Help"]
    after = user.messages[-1].text
    assert "not linked to anyone now" in after and "still" not in after  # nothing remains (issue 11, item 10)


async def test_a_forged_unlink_button_for_someone_else_changes_nothing(app: App) -> None:
    await link_by_code(app, 607, "s14")
    await link_by_code(app, 608, "s15")
    attacker = app.client(608, language_code="en")
    await attacker.send("/unlink")
    menu = attacker.last_message()
    await press_forged(app, attacker, menu, UnlinkPickCb(person="s14").pack())
    unknown_answer = attacker.last_answer()
    await press_forged(app, attacker, menu, UnlinkPickCb(person="zz99").pack())
    assert attacker.last_answer() == unknown_answer and "out of date" in unknown_answer
    await press_forged(app, attacker, menu, UnlinkConfirmCb(person="s14").pack())
    assert "out of date" in attacker.last_answer()
    assert [link.person_id for link in await links_repo.links_of_user(app.db, 607)] == ["s14"]
    assert [link.person_id for link in await links_repo.links_of_user(app.db, 608)] == ["s15"]


async def test_unlink_with_nothing_linked(app: App) -> None:
    user = app.client(609, language_code="en")
    await user.send("/unlink")
    assert "nothing to unlink" in user.last_message().text


@pytest.fixture
def forget_listener(app: App) -> Iterator[list[tuple[int, bool]]]:
    """A feature erasing its own data: records the user and whether it ran inside the /forget transaction."""
    heard: list[tuple[int, bool]] = []

    async def listener(ctx, user_id: int) -> None:
        heard.append((user_id, ctx.db._in_tx.get()))

    app.ctx.events = Events((*all_features(), Feature("listener", on_user_forgotten=(listener,))))
    yield heard


async def test_forget_asks_first_and_cancel_keeps_everything(app: App, forget_listener: list) -> None:
    await link_by_code(app, 610, "s16")
    user = app.client(610, language_code="en")
    await user.send("/forget")
    assert "Erase everything?" in user.last_message().text
    await user.click(user.last_message(), "✖️ Cancel")
    assert "Nothing was erased" in user.last_message().text
    assert len(await links_repo.links_of_user(app.db, 610)) == 1
    assert forget_listener == []


async def test_forget_erases_everything_about_the_user_and_tells_the_features(app: App, forget_listener: list) -> None:
    invitation = await one_code(app, "p01")
    user = app.client(611, language_code="en")
    await user.send(f"/start {invitation.code}")
    await user.click(user.last_message(), "Yes, link")
    await link_by_code(app, 611, "t04")
    await prefs_repo.update_preferences(app.db, 611, digest_mode=True)
    await outbox.enqueue(
        app.db,
        chat_id=611,
        method="send_message",
        payload={"text": "5 по математике"},
        kind="grade",
        now=app.clock.now(),
    )
    await user.send("/link")  # an unfinished conversation
    await link_by_code(app, 612, "s18")
    await outbox.enqueue(
        app.db, chat_id=612, method="send_message", payload={"text": "hi"}, kind="grade", now=app.clock.now()
    )

    await user.send("/forget")
    await user.click(user.last_message(), "🗑 Erase everything")

    assert "everything I stored about you is erased" in user.messages[-2].text
    assert user.reply_keyboard() == ["🔑 Link an account", "❓ Help"]
    db = app.db
    assert await users_repo.get_user(db, 611) is None
    assert await links_repo.links_of_user(db, 611) == []
    assert await db.fetchval("SELECT COUNT(*) FROM preferences WHERE user_id = 611") == 0
    assert await db.fetchval("SELECT COUNT(*) FROM fsm_states WHERE user_id = 611") == 0
    assert await outbox.items_for_chat(db, 611) == []
    assert await audit.events(db, user_id=611) == []  # anonymized, not attributable any more
    assert await db.fetchval("SELECT COUNT(*) FROM link_codes WHERE used_by = 611 OR issued_by = 611") == 0
    assert (await stored(app, invitation)).used_at is not None  # the code stays spent
    linked_rows = [e for e in await audit.events(db, event=audit.LINKED) if e.person_id in ("p01", "t04")]
    assert len(linked_rows) == 2 and all(e.user_id is None for e in linked_rows)
    assert [e.detail for e in await audit.events(db, event=audit.FORGOTTEN)] == ["links=2"]
    assert forget_listener == [(611, True)]  # inside the same transaction as the core deletes
    # nobody else lost anything
    assert [link.person_id for link in await links_repo.links_of_user(db, 612)] == ["s18"]
    assert len(await outbox.items_for_chat(db, 612)) == 1


async def test_forget_cannot_reset_the_code_attempt_limit(app: App) -> None:
    user = app.client(613, language_code="en")
    for letter in "DEFGH":
        await user.send(f"/start 23456789ABC{letter}")
    await user.send("/forget")
    await user.click(user.last_message(), "🗑 Erase everything")
    await user.send("/start 23456789ABCJ")
    assert "Too many wrong codes" in user.last_message().text


async def test_forget_and_me_in_russian(app: App) -> None:
    await link_by_code(app, 614, "s19", language_code="ru")
    user = app.client(614, language_code="ru")
    await user.send("/me")
    assert "Андреева Мария Юрьевна — ученица, класс 9В" in user.last_message().text
    await user.send("/forget")
    assert buttons(user.last_message()) == ["🗑 Стереть всё", "✖️ Отмена"]
