"""End to end on the real clock: a homeroom teacher sees who of the class has not joined yet in the real bot
process (a code the CLI issued shown with its dates), issues codes for the rest in one tap, and a family that
joins with them drops out of the list."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from pathlib import Path

from aiogram.types import Message

from tests.e2e import running_bot
from tests.harness import FakeTelegram
from tests.harness.fake_api import FakeUser

CODE = re.compile(r"\b[2-9A-Z]{4}-[2-9A-Z]{4}-[2-9A-Z]{4}\b")
TTL_DAYS = 14  # the default CODE_TTL_DAYS: a code works through the 14th day after the day it was issued


def code_under(messages: list[Message], full_name: str) -> str:
    entry = next(m.text for m in messages if m.text and full_name in m.text and CODE.search(m.text))
    found = CODE.search(entry[entry.index(full_name) :])
    assert found is not None
    return found.group()


async def link(user: FakeUser, code: str, name: str) -> None:
    await user.send(f"/start {code}")
    prompt = await user.wait_reply(predicate=lambda m: name in (m.text or ""))
    await user.click(prompt, "✅ Да, привязать")
    await user.wait_reply(predicate=lambda m: "Готово" in (m.text or ""))


async def open_list(teacher: FakeUser) -> Message:
    await teacher.send("/invite")
    step = await teacher.wait_reply(predicate=lambda m: "Коды для класса 5А" in (m.text or ""))
    await teacher.click(step, "⏳ Кто ещё не присоединился")
    return await teacher.wait_reply(predicate=lambda m: "кто ещё не присоединился" in (m.text or ""))


async def test_a_homeroom_teacher_issues_the_codes_of_those_who_have_not_joined(tmp_path: Path) -> None:
    async with FakeTelegram(token="42:TEST") as tg, running_bot(tmp_path, tg, bot_username="ediary_test_bot") as bot:
        [for_teacher] = await bot.cli_json("invite", "--person", "t01", "--json")
        [for_mother] = await bot.cli_json("invite", "--person", "p09", "--json")  # Алиса Зайцева's mother
        expires = datetime.fromisoformat(for_mother["expires_at"]).date()  # local midnight after the last day
        issued, until = expires - timedelta(days=TTL_DAYS + 1), expires - timedelta(days=1)

        teacher = tg.user(2001, first_name="Елена", language_code="ru")
        await link(teacher, for_teacher["code"], "Белова")
        listed = await open_list(teacher)
        assert "Присоединились: учеников — 0 из 8, родителей — 0 из 12." in (listed.text or "")
        assert f"Зайцева Светлана Викторовна, родитель: код выдан {issued:%d.%m}, действует по {until:%d.%m}" in (
            listed.text or ""
        )
        await teacher.click(listed, "🎟 Коды тем, у кого нет кода (19)")
        step = await teacher.wait_reply(predicate=lambda m: "Будет выдано 19 кодов." in (m.text or ""))
        await teacher.click(step, "💬 Здесь, в чате")
        await teacher.wait_reply(predicate=lambda m: "Класс 5А — ещё не в боте: 19 кодов" in (m.text or ""))

        alisa_code = code_under(teacher.history, "Зайцева Алиса Максимовна")
        await link(tg.user(2002, language_code="ru"), alisa_code, "Зайцева Алиса")
        await link(tg.user(2003, language_code="ru"), for_mother["code"], "Зайцева Светлана")

        after = (await open_list(teacher)).text or ""
        assert "Зайцева" not in after
        assert "Присоединились: учеников — 1 из 8, родителей — 1 из 12." in after
        assert "Ещё не присоединились 18 человек. У 18 из них уже есть действующий код." in after
    log = bot.log()
    for code in (alisa_code, for_mother["code"]):  # codes and names never reach the log
        assert code not in log and code.replace("-", "") not in log
    assert "Зайцева" not in log
