"""End to end: the school issues codes with the CLI; a parent of two children links the real bot process,
once by the deep link (/start CODE) and once by /link, through the fake Bot API server."""

from __future__ import annotations

from pathlib import Path

from tests.e2e import running_bot
from tests.harness import FakeTelegram

CHILDREN = ("Иванов Артём Алексеевич — 5А", "Иванова Софья Алексеевна — 9В")  # p01's son and daughter


async def test_a_parent_links_by_deep_link_and_by_link(tmp_path: Path) -> None:
    async with FakeTelegram(token="42:TEST") as tg, running_bot(tmp_path, tg, bot_username="ediary_test_bot") as bot:
        [by_link] = await bot.cli_json("invite", "--person", "p01", "--json")
        [by_typing] = await bot.cli_json("invite", "--person", "p01", "--json")
        [in_one_message, pasted] = await bot.cli_json("invite", "--person", "s01", "--person", "s17", "--json")
        class_5a = await bot.cli_json("people", "--class", "5A", "--role", "student", "--json")  # a Latin A (item 11)
        assert {row["class"] for row in class_5a} == {"5А"} and "s01" in {row["id"] for row in class_5a}
        assert by_link["link"] == f"https://t.me/ediary_test_bot?start={by_link['code'].replace('-', '')}"

        # the father opens the deep link from his card: Telegram sends "/start CODE"
        father = tg.user(1001, first_name="Алексей", language_code="ru")
        await father.send("/start " + by_link["link"].split("start=")[1])
        prompt = await father.wait_reply(predicate=lambda m: "Иванов Алексей Викторович" in m.text)
        assert all(child in prompt.text for child in CHILDREN)
        await father.click(prompt, "✅ Да, привязать")
        done = await father.wait_reply(predicate=lambda m: "Готово" in (m.text or ""))
        assert all(child in done.text for child in CHILDREN)
        await father.wait_reply(predicate=lambda m: "/me" in (m.text or ""))
        assert "📊 Оценки за сегодня" in father.reply_keyboard()  # the main menu of a linked parent

        # on his second phone he types the other code after /link
        tablet = tg.user(1002, first_name="Алексей", language_code="ru")
        await tablet.send("/link")
        ask = await tablet.wait_reply()
        assert "K7QF-93XM-RT2P" in ask.text  # the example of what to type
        await tablet.send(by_typing["code"].lower())
        prompt = await tablet.wait_reply(predicate=lambda m: "Иванов Алексей Викторович" in m.text)
        await tablet.click(prompt, "✅ Да, привязать")
        await tablet.wait_reply(predicate=lambda m: "Готово" in (m.text or ""))

        # the son follows the help: "/link and the code" in one message (issue 11, item 2)
        son = tg.user(1004, first_name="Артём", language_code="ru")
        await son.send(f"/link {in_one_message['code']}")
        prompt = await son.wait_reply(predicate=lambda m: "Иванов Артём Алексеевич" in m.text)
        assert "ученик, класс 5А" in prompt.text and "Привязать к нему" in prompt.text  # the e-diary's sex (item 8)
        await son.click(prompt, "✅ Да, привязать")
        await son.wait_reply(predicate=lambda m: "Готово" in (m.text or ""))

        # the daughter pastes her code alone, with the en dashes her phone made of "--" (item 19)
        daughter = tg.user(1005, first_name="Софья", language_code="ru")
        await daughter.send(pasted["code"].replace("-", "–"))
        prompt = await daughter.wait_reply(predicate=lambda m: "Иванова Софья Алексеевна" in m.text)
        assert "ученица, класс 9В" in prompt.text and "Привязать к ней" in prompt.text
        await daughter.click(prompt, "✅ Да, привязать")
        await daughter.wait_reply(predicate=lambda m: "Готово" in (m.text or ""))

        for account in (father, tablet):
            await account.send("/me")
            me = await account.wait_reply(predicate=lambda m: m.text.startswith("Этот аккаунт привязан к:"))
            assert all(child in me.text for child in CHILDREN)

        # a spent code stays spent
        stranger = tg.user(1003, language_code="ru")
        await stranger.send(f"/start {by_link['code']}")
        used = await stranger.wait_reply()
        assert "уже использован" in used.text and "Иванов" not in used.text
    log = bot.log()
    for record in (by_link, by_typing, in_one_message, pasted):  # codes and names never reach the log
        assert record["code"] not in log and record["code"].replace("-", "") not in log
    assert "Иванов" not in log
