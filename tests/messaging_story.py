"""Helpers for the messaging stories: who is who in the demo school, writing through /message, delivering.

Demo people: p01 Иванов Алексей Викторович, parent of s01 Иванов Артём (5А) and s17 (9В); s02 Петрова Анна (5А);
t01 Белова Елена Викторовна, homeroom teacher of 5А (Математика); t04 teaches only 9В.
"""

from __future__ import annotations

from typing import Any

from aiogram.types import Message

from bot.delivery.sender import deliver_due
from storage import outbox
from tests.conftest import App
from tests.harness import BotClient
from tests.harness import updates as u

PARENT, TEACHER, STUDENT, OTHER_PARENT = 5001, 5002, 5003, 5004
PARENT_NAME = "Иванов Алексей Викторович"
TEACHER_NAME = "Белова Елена Викторовна"


async def deliver(app: App) -> int:
    """Run the outbox sender until nothing is due; its per-chat waits move the manual clock."""

    async def sleep(seconds: float) -> None:
        app.clock.advance(seconds=seconds)

    app.ctx.delivery.sleep = sleep
    total = 0
    while sent := await deliver_due(app.ctx):
        total += sent
    return total


async def family_and_teacher(app: App, *, teacher: bool = True) -> tuple[BotClient, BotClient]:
    """Parent p01 (account 5001) and, unless told otherwise, teacher t01 (account 5002), both Russian."""
    await app.link(PARENT, "p01", "parent")
    if teacher:
        await app.link(TEACHER, "t01", "teacher")
    return (
        app.client(PARENT, first_name="Лёша", username="alexey_tg"),
        app.client(TEACHER, first_name="Helen", username="elena_tg"),
    )


async def open_compose(client: BotClient, *, child: str | None = "Артём", teacher: str = "Белова") -> Message:
    """/message → the child (when asked) → the teacher; returns the writing prompt."""
    await client.send("/message")
    if child is not None:
        await client.click(client.last_message(), child)
    await client.click(client.last_message(), teacher)
    return client.last_message()


async def write_to_teacher(
    client: BotClient,
    text: str = "Здравствуйте! Артём завтра не придёт: болеет.",
    *,
    child: str | None = "Артём",
    teacher: str = "Белова",
) -> Message:
    """The whole /message flow with a text, Send pressed; returns the bot's final answer."""
    await open_compose(client, child=child, teacher=teacher)
    await client.send(text)
    preview = client.last_message()
    await client.click(preview, "Отправить")
    return client.last_message()


async def forged_click(client: BotClient, message: Message, data: str) -> None:
    """A callback with data the bot never offered (a modified client)."""
    current = client.core.messages[(client.chat_id, message.message_id)]
    callback = u.callback_dict(client.user, current, data)
    client.query_ids.append(callback["id"])
    await client._deliver({"update_id": client.core.next_update_id(), "callback_query": callback})


def visible_texts(client: BotClient) -> list[str]:
    return [m.text or m.caption or "" for m in client.messages]


async def message_items(app: App, chat_id: int) -> list[outbox.OutboxItem]:
    return [item for item in await outbox.items_for_chat(app.db, chat_id) if item.kind == "message"]


def buttons(message: Message) -> list[str]:
    markup: Any = message.reply_markup
    return [b.text for row in (markup.inline_keyboard if markup else []) for b in row]
