"""The daily purge: delivered outbox rows, expired code records and old audit details go after their periods;
what reply routing needs and the audit events themselves stay."""

from __future__ import annotations

import json
from datetime import timedelta

from bot.retention.purge import purge
from storage import audit, outbox
from storage import codes as codes_repo
from tests.conftest import App
from tests.messaging_story import PARENT, TEACHER, deliver, family_and_teacher, message_items, write_to_teacher


async def _alert(app: App, chat_id: int, key: str, *, sent: bool) -> int:
    item_id = await outbox.enqueue(
        app.db,
        chat_id=chat_id,
        method="send_message",
        payload={"text": "4"},
        kind="grades",
        now=app.clock.now(),
        dedupe_key=key,
    )
    assert item_id is not None
    if sent:
        await outbox.mark_sent(app.db, item_id, 100 + item_id, app.clock.now())
    return item_id


async def test_old_delivered_rows_go_and_a_relayed_message_can_still_be_answered(app: App) -> None:
    parent, teacher = await family_and_teacher(app)
    await write_to_teacher(parent, "Артём болеет, можно задание на дом?")
    await deliver(app)
    [relay] = await message_items(app, TEACHER)
    old_alert = await _alert(app, PARENT, "old", sent=True)
    waiting = await _alert(app, PARENT, "waiting", sent=False)  # never delivered: never purged
    app.clock.advance(days=app.ctx.settings.outbox_retention_days - 1)
    fresh_alert = await _alert(app, PARENT, "fresh", sent=True)
    app.clock.advance(days=2)

    purged = await purge(app.ctx)

    assert (purged.outbox_deleted, purged.outbox_emptied) == (1, 1)
    assert await outbox.get_item(app.db, old_alert) is None
    assert await outbox.get_item(app.db, fresh_alert) is not None
    assert (await outbox.get_item(app.db, waiting)) is not None
    kept = await outbox.get_item(app.db, relay.id)
    assert kept is not None and kept.payload == {} and kept.sent_message_id == relay.sent_message_id
    assert "болеет" not in json.dumps(kept.payload, ensure_ascii=False)
    # the teacher answers the month-old relayed message by replying to it in Telegram: it still finds its thread
    await teacher.reply(teacher.last_message(), "Выздоравливайте!")
    await deliver(app)
    assert "Выздоравливайте!" in (parent.last_message().text or "")

    assert await purge(app.ctx) == type(purged)()  # a second run the same day has nothing left to do


async def test_code_records_go_after_their_period_and_audit_events_lose_only_who_and_detail(app: App) -> None:
    now = app.clock.now()
    days = app.ctx.settings.code_retention_days
    old_code = await codes_repo.add_code(
        app.db,
        code_hash="h-old",
        person_id="s01",
        role="student",
        now=now,
        expires_at=now + timedelta(days=1),
        issued_by=900,
    )
    live_code = await codes_repo.add_code(
        app.db,
        code_hash="h-live",
        person_id="s02",
        role="student",
        now=now,
        expires_at=now + timedelta(days=days),
        issued_by=900,
    )
    await audit.record(app.db, audit.CODE_FAILED, at=now, user_id=6001, person_id="s01", detail="expired")
    app.clock.advance(days=days + 2)
    await audit.record(app.db, audit.LINKED, at=app.clock.now(), user_id=6002, person_id="s02")

    purged = await purge(app.ctx)

    assert (purged.codes_deleted, purged.audit_anonymised) == (1, 0)
    assert await codes_repo.get_code(app.db, old_code) is None
    assert await codes_repo.get_code(app.db, live_code) is not None

    app.clock.advance(days=app.ctx.settings.audit_detail_retention_days - days)
    purged = await purge(app.ctx)

    assert (purged.codes_deleted, purged.audit_anonymised) == (1, 1)
    old_event, recent_event = await audit.events(app.db)
    assert (old_event.event, old_event.person_id, old_event.user_id, old_event.detail) == (
        audit.CODE_FAILED,
        "s01",
        None,
        None,
    )
    assert (recent_event.user_id, recent_event.person_id) == (6002, "s02")
