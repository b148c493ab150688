"""Helpers for the alert tests: follow a student as a family member, run the jobs, read what arrived."""

from __future__ import annotations

from dataclasses import replace

import pytest

from bot.alerts import poller
from bot.alerts.subscribers import student_scope
from bot.delivery.sender import deliver_due
from storage import outbox
from storage import preferences as prefs_repo
from tests.conftest import App
from tests.harness import BotClient


async def follow(
    app: App, user_id: int, person_id: str, role: str, *, language: str = "ru", **prefs: object
) -> BotClient:
    """A linked account with saved preferences (defaults unless given) and its chat."""
    await app.link(user_id, person_id, role, language=language)
    if prefs:
        current = await prefs_repo.get_preferences(app.db, user_id)
        await prefs_repo.save_preferences(app.db, user_id, replace(current, **prefs))
    return app.client(user_id, language_code=language)


async def deliver(app: App) -> int:
    """Send everything due now through the mocked Telegram (the per-chat pause moves the test clock)."""

    async def sleep(seconds: float) -> None:
        app.clock.advance(seconds=seconds)

    app.ctx.delivery.sleep = sleep
    return await deliver_due(app.ctx)


async def poll_and_deliver(app: App) -> int:
    await poller.poll(app.ctx)
    return await deliver(app)


def texts(client: BotClient) -> list[str]:
    return [m.text or "" for m in client.messages]


async def queued(app: App, user_id: int, kind: str | None = None) -> list[outbox.OutboxItem]:
    items = await outbox.items_for_chat(app.db, user_id)
    return [i for i in items if kind is None or i.kind == kind]


# Alert tests run on both kinds of e-diary: one that reads whole classes, and one that reads only per student
# (a family's token): the poller must find the same changes and send the same alerts.
BOTH_READ_MODES = pytest.mark.parametrize("per_student", [False, True], ids=["class-reads", "per-student"])


def scope(app: App, class_name: str, student_id: str) -> str:
    """Where the poller keeps what it read of this student's class in the app's read mode."""
    return class_name if app.ctx.ediary.capabilities.class_reads else student_scope(class_name, student_id)
