"""Codes that link nothing: wrong, expired, used or revoked codes, too many attempts, forged buttons,
a code taken meanwhile, the e-diary down, groups; and codes never kept in clear."""

from __future__ import annotations

from datetime import datetime

from bot.ediary.provider import ProviderUnavailable
from bot.linking.callbacks import LinkConfirmCb
from storage import audit
from storage import links as links_repo
from tests.conftest import App
from tests.linking_support import buttons, database_dump, issue, one_code, stored

PARENT = "p01"  # Иванов Алексей Викторович: children s01 (5А) and s17 (9В)


async def test_wrong_expired_used_and_revoked_codes_each_get_their_own_answer(app: App) -> None:
    user = app.client(506, language_code="en")
    answers = {}

    await user.send("/start 23456789ABCD")
    answers["wrong"] = user.last_message().text

    expiring = await one_code(app, "s03")
    used = await one_code(app, "s04")
    revoked = await one_code(app, "s05")
    other = app.client(507, language_code="en")
    await other.send(f"/start {used.code}")
    await other.click(other.last_message(), "✅ Yes, link")
    await app.db.execute("UPDATE link_codes SET revoked_at = created_at WHERE id = ?", (revoked.code_id,))

    await user.send(f"/start {used.code}")
    answers["used"] = user.last_message().text
    await user.send(f"/start {revoked.code}")
    answers["revoked"] = user.last_message().text
    app.clock.advance(days=15)
    await user.send(f"/start {expiring.code}")
    answers["expired"] = user.last_message().text

    assert "I don't know this code" in answers["wrong"]
    assert "already been used" in answers["used"]
    assert "cancelled by the school" in answers["revoked"]
    assert "expired" in answers["expired"] and "December 9, 2026" in answers["expired"]
    assert len(set(answers.values())) == 4
    for text in answers.values():  # never reveals whose code it was
        assert "Иван" not in text and "s0" not in text
    assert await links_repo.links_of_user(app.db, 506) == []
    failures = await audit.events(app.db, user_id=506, event=audit.CODE_FAILED)
    assert [e.detail for e in failures] == ["unknown", "used", "revoked", "expired"]


async def test_a_code_works_through_its_last_printed_day(app: App) -> None:
    invitation = await one_code(app, "s06")  # issued Wed 25 Nov 2026 10:00, CODE_TTL_DAYS=14
    user = app.client(508, language_code="en")
    app.clock.set(datetime(2026, 12, 9, 23, 59))
    await user.send(f"/start {invitation.code}")
    assert buttons(user.last_message()) == ["✅ Yes, link", "✖️ Cancel"]
    app.clock.set(datetime(2026, 12, 10, 0, 0))
    await user.click(user.last_message(), "✅ Yes, link")
    assert "expired" in user.last_message().text
    assert await links_repo.links_of_user(app.db, 508) == []


async def test_five_failures_block_for_15_minutes_and_a_valid_code_sent_meanwhile_is_not_used_up(app: App) -> None:
    invitation = await one_code(app, "s07")
    user = app.client(509, language_code="en")
    for attempt in range(4):
        await user.send(f"/start 23456789ABC{'DEFG'[attempt]}")
    assert "1 more attempt" in user.last_message().text
    await user.send("/start 23456789ABCH")  # the fifth failure
    assert "Too many wrong codes" in user.last_message().text
    assert "10:15" in user.last_message().text  # 10:00 Moscow + 15 minutes

    app.clock.advance(minutes=5)
    await user.send(f"/start {invitation.code}")
    blocked = user.last_message().text
    assert "Too many wrong codes" in blocked and "10:15" in blocked and "in 10 minutes" in blocked
    assert "Иван" not in blocked
    assert (await stored(app, invitation)).used_at is None  # the valid code was not even looked at

    app.clock.advance(minutes=10)
    await user.send(f"/start {invitation.code}")
    await user.click(user.last_message(), "✅ Yes, link")
    assert [link.person_id for link in await links_repo.links_of_user(app.db, 509)] == ["s07"]

    kinds = [e.event for e in await audit.events(app.db, user_id=509)]
    assert kinds.count(audit.CODE_FAILED) == 5
    assert kinds.count(audit.CODE_BLOCKED) == 1
    assert kinds.count(audit.ATTEMPT_WHILE_BLOCKED) == 1
    assert kinds[-1] == audit.LINKED


async def test_every_counted_failure_says_how_many_tries_remain(app: App) -> None:
    user = app.client(526, language_code="en")
    await user.send("/link")
    await user.send("2345-6789-ABCD")  # shaped like a code, but no such code: it counts
    assert "4 more attempts before a 15-minute pause" in user.last_message().text
    await user.send("2345-6789-ABCE")
    assert "3 more attempts" in user.last_message().text
    await user.send("my code is lost")  # not a code at all: not counted, nothing said about tries
    assert "more attempt" not in user.last_message().text


async def test_the_limit_is_per_telegram_user(app: App) -> None:
    mallory = app.client(510, language_code="en")
    for attempt in range(5):
        await mallory.send("/link")
        await mallory.send(f"23456789ABC{'DEFGH'[attempt]}")
    await mallory.send("23456789ABCJ")
    assert "Too many wrong codes" in mallory.last_message().text
    invitation = await one_code(app, "s08")
    honest = app.client(511, language_code="en")
    await honest.send(f"/start {invitation.code}")
    assert buttons(honest.last_message()) == ["✅ Yes, link", "✖️ Cancel"]


async def test_typos_that_cannot_be_codes_are_explained_and_not_counted(app: App) -> None:
    user = app.client(512, language_code="en")
    await user.send("/link")
    for text in ["my code is lost", "K7QF-93XM", "K7QF-93XM-RT2O", "12345", "K7QF-93XM-RT2P-X", "ok"]:
        await user.send(text)
        assert "doesn't look like a code" in user.last_message().text
    assert await app.db.fetchval("SELECT COUNT(*) FROM code_attempts") == 0
    assert await audit.events(app.db, user_id=512, event=audit.CODE_FAILED) == []
    invitation = await one_code(app, "s09")
    await user.send(invitation.display_code)
    assert buttons(user.last_message()) == ["✅ Yes, link", "✖️ Cancel"]


async def test_a_code_for_someone_already_linked_here_is_answered_kindly_and_kept(app: App) -> None:
    first, second = await issue(app, PARENT, PARENT)
    user = app.client(515, language_code="en")
    await user.send(f"/start {first.code}")
    await user.click(user.last_message(), "✅ Yes, link")
    await user.send(f"/start {second.code}")
    text = user.last_message().text
    assert "already linked to" in text and "Иванов Алексей Викторович" in text and "not used" in text
    assert (await stored(app, second)).used_at is None
    assert await audit.events(app.db, user_id=515, event=audit.CODE_FAILED) == []
    # opening the first (used) link again is not a failure either
    await user.send(f"/start {first.code}")
    assert "You have already used this code" in user.last_message().text
    assert await audit.events(app.db, user_id=515, event=audit.CODE_FAILED) == []


async def test_a_forged_confirm_button_links_nothing(app: App) -> None:
    victim_code, other_code = await issue(app, "p03", "p05")
    victim = app.client(516, language_code="en")
    await victim.send(f"/start {victim_code.code}")
    attacker = app.client(517, language_code="en")
    await attacker.send(f"/start {other_code.code}")
    forged = LinkConfirmCb(code_id=victim_code.code_id).pack()
    prompt = attacker.last_message()
    # the attacker's own message, with the victim's code id put into the button
    from tests.harness import updates as u

    data = u.as_dict(prompt)
    data["reply_markup"]["inline_keyboard"][0][0]["callback_data"] = forged
    app.session.core.messages[(data["chat"]["id"], data["message_id"])] = data
    await attacker.click(prompt, callback_data=forged)
    assert "out of date" in attacker.last_answer()
    assert await links_repo.links_of_user(app.db, 517) == []
    assert (await stored(app, victim_code)).used_at is None
    # a confirm button without a pending confirmation (a stale message) is refused the same way
    stranger = app.client(518, language_code="en")
    await stranger.send("/start")
    msg = stranger.last_message()
    data = u.as_dict(msg)
    data["reply_markup"] = {"inline_keyboard": [[{"text": "x", "callback_data": forged}]]}
    app.session.core.messages[(data["chat"]["id"], data["message_id"])] = data
    await stranger.click(msg, callback_data=forged)
    assert "out of date" in stranger.last_answer()
    assert await links_repo.links_of_user(app.db, 518) == []


async def test_the_code_may_be_taken_between_showing_and_confirming(app: App) -> None:
    invitation = await one_code(app, "s11")
    slow, fast = app.client(519, language_code="en"), app.client(520, language_code="en")
    await slow.send(f"/start {invitation.code}")
    await fast.send(f"/start {invitation.code}")
    await fast.click(fast.last_message(), "✅ Yes, link")
    await slow.click(slow.last_message(), "✅ Yes, link")
    assert "already been used" in slow.last_message().text
    assert await links_repo.links_of_user(app.db, 519) == []
    assert [link.person_id for link in await links_repo.links_of_user(app.db, 520)] == ["s11"]


async def test_when_the_e_diary_is_down_nothing_is_used_or_counted(app: App, monkeypatch) -> None:
    invitation = await one_code(app, "s12")

    async def down(person_id: str):
        raise ProviderUnavailable("demo e-diary: timeout")

    monkeypatch.setattr(app.ctx.provider, "get_person", down)
    user = app.client(521, language_code="en")
    await user.send(f"/start {invitation.code}")
    assert "not answering" in user.last_message().text
    assert (await stored(app, invitation)).used_at is None
    assert await audit.events(app.db, user_id=521, event=audit.CODE_FAILED) == []


async def test_start_with_a_code_in_a_group_uses_and_reveals_nothing(app: App) -> None:
    invitation = await one_code(app, PARENT)
    group = app.client(522, chat_type="group", language_code="en")
    await group.send(f"/start {invitation.code}")
    await group.send(f"/start@ediary_test_bot {invitation.code}")
    await group.send("/link")
    for message in group.messages:
        assert "private chat" in message.text
        assert "Иван" not in message.text and "5А" not in message.text
    assert (await stored(app, invitation)).used_at is None
    assert await links_repo.links_of_user(app.db, 522) == []
    assert await audit.events(app.db, user_id=522) == []


async def test_codes_and_attempts_are_never_stored_or_audited_in_clear(app: App) -> None:
    invitation = await one_code(app, PARENT)
    user = app.client(523, language_code="en")
    await user.send("/start 23456789ABCD")
    await user.send(f"/start {invitation.code}")
    await user.click(user.last_message(), "✅ Yes, link")
    dump = await database_dump(app)
    for secret in (invitation.code, invitation.display_code, "23456789ABCD", "2345-6789-ABCD"):
        assert secret not in dump
    assert "523" not in " ".join(r[0] for r in await app.db.fetchall("SELECT user_key FROM code_attempts"))
