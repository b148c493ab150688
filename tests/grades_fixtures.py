"""Shared by the grades and marks tests: the demo school behind a switch, and a bot running on it.

`SwitchableDemo` is the real DemoProvider whose answers a test can take away: the e-diary goes down
(ProviderUnavailable) or hangs (a timeout), a student's marks vanish, or the school year's periods
change. Everything else is the demo school as the bot sees it in production.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import date

import pytest
from aiogram.types import Message

from bot.clock import ManualClock
from bot.config import Settings
from bot.ediary.demo import DemoProvider
from bot.ediary.model import FinalMark, Grade, Period, Student
from bot.ediary.provider import ProviderUnavailable
from tests.conftest import App, running_app
from tests.harness import updates as u


class SwitchableDemo(DemoProvider):
    down = False  # every call raises ProviderUnavailable
    hanging = False  # grades never arrive (the bot's deadline must give up)
    without_marks: set[str]  # students whose marks the e-diary has none of
    periods_override: list[Period] | None = None

    async def _gate(self) -> None:
        if self.down:
            raise ProviderUnavailable("demo switched off")
        if self.hanging:
            await asyncio.Event().wait()

    async def children_of(self, parent_id: str) -> list[Student]:
        await self._gate()
        return await super().children_of(parent_id)

    async def get_student(self, student_id: str) -> Student | None:
        await self._gate()
        return await super().get_student(student_id)

    async def periods(self) -> list[Period]:
        await self._gate()
        return list(self.periods_override) if self.periods_override is not None else await super().periods()

    async def student_grades(self, student_id: str, start: date, end: date) -> list[Grade]:
        await self._gate()
        if student_id in self.without_marks:
            return []
        return await super().student_grades(student_id, start, end)

    async def final_marks(self, student_id: str) -> list[FinalMark]:
        await self._gate()
        return [] if student_id in self.without_marks else await super().final_marks(student_id)


@pytest.fixture
async def demo(settings: Settings, clock: ManualClock) -> AsyncIterator[SwitchableDemo]:
    provider = await SwitchableDemo.open(settings.demo_database_path, clock)
    provider.without_marks = set()
    yield provider
    await provider.close()


@pytest.fixture
async def bot_app(settings: Settings, clock: ManualClock, demo: SwitchableDemo) -> AsyncIterator[App]:
    """Like conftest's `app`, on the switchable demo school."""
    async with running_app(settings, clock, demo) as started:
        yield started


def buttons(message: Message) -> list[str]:
    markup = message.reply_markup
    return [b.text for row in markup.inline_keyboard for b in row] if markup else []


def button_data(message: Message, text: str) -> str:
    return u.find_inline_button(message, text)["callback_data"]


async def press_forged(client, message: Message, data: str) -> None:
    """A modified client sends callback data that no button of the message carries."""
    current = client.core.messages[(message.chat.id, message.message_id)]
    callback = u.callback_dict(client.user, current, data)
    client.query_ids.append(callback["id"])
    await client._deliver({"update_id": client.core.next_update_id(), "callback_query": callback})
