"""End to end, the real `ediary-bot run` process for a school's IT admin: webhook mode behind a proxy with the
secret check, /healthz and /metrics in both modes, a backup taken while the bot runs, and logs that never
carry a token, a code, a name or a message text."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

import aiohttp

from tests.e2e import RunningBot, running_bot, wait_until
from tests.harness import FakeTelegram

SECRET = "e2e-Webhook_secret-0123456789"
WEBHOOK_URL = "https://bot.school.example/telegram/updates"  # the proxy's address; tests route to the bot's port
WEBHOOK = {"webhook_url": WEBHOOK_URL, "webhook_secret": SECRET, "webhook_host": "127.0.0.1", "webhook_port": "0"}
HEALTH = {"health_host": "127.0.0.1", "health_port": "0"}


async def _get(url: str) -> tuple[int, str]:
    async with aiohttp.ClientSession() as http, http.get(url) as response:
        return response.status, await response.text()


async def _healthy(bot: RunningBot) -> dict[str, Any]:
    """/healthz once it says ok (the lease and the first poll come a moment after the start)."""
    answer: dict[str, Any] = {}

    async def ok() -> bool:
        status, text = await _get(f"{bot.http_url}/healthz")
        answer.update(json.loads(text))
        return status == 200

    await wait_until(ok, "/healthz answers 200")
    return answer


async def test_webhook_mode_serves_updates_with_the_secret_only_and_reports_its_health(tmp_path: Path) -> None:
    async with FakeTelegram(token="42:TEST") as tg, running_bot(tmp_path, tg, **WEBHOOK) as bot:
        [(_, registered)] = [(m, p) for m, p in tg.requests if m.lower() == "setwebhook"]
        assert registered["url"] == WEBHOOK_URL and registered["secret_token"] == SECRET
        assert "message" in json.loads(registered["allowed_updates"])

        user = tg.user(8101, language_code="en")
        await user.send("/start")
        assert "e-diary" in ((await user.wait_reply()).text or "")
        assert tg.webhook.statuses[-1] == 200

        # someone who found the port posts an update without the secret: refused, never handled
        forged = {"update_id": 999_001, "message": {**tg.webhook.delivered[-1]["message"], "text": "/help"}}
        async with aiohttp.ClientSession() as http, http.post(tg.webhook.route or "", json=forged) as response:
            assert response.status == 401

        health = await _healthy(bot)
        assert health["lease"]["this_instance"] and health["sender"]["ok"] and health["database"]["writable"]

        async def poll_measured() -> bool:
            _, text = await _get(f"{bot.http_url}/metrics")
            return 'ediary_job_seconds_count{job="poll"}' in text

        await wait_until(poll_measured, "the first poll shows in /metrics")
        _, metrics = await _get(f"{bot.http_url}/metrics")
        assert 'ediary_updates_total{outcome="handled",type="message"} 1.0' in metrics  # the forged one is not there
        assert "ediary_outbox_depth" in metrics
    assert not [m for m, _ in tg.requests if m.lower() == "getupdates"]
    assert "stopped cleanly" in bot.log()


async def test_polling_mode_health_metrics_and_a_backup_while_running(tmp_path: Path) -> None:
    async with FakeTelegram(token="42:TEST") as tg, running_bot(tmp_path, tg, **HEALTH) as bot:
        deleted = [p for m, p in tg.requests if m.lower() == "deletewebhook"]
        assert deleted and deleted[0].get("drop_pending_updates") in (None, False, "false")  # nothing dropped
        user = tg.user(8201, language_code="en")
        await user.send("/help")
        await user.wait_reply()
        health = await _healthy(bot)
        assert health["provider"]["name"] == "demo"

        copy = tmp_path / "backup" / "copy.sqlite3"
        _, out, _ = await bot.cli("db", "backup", str(copy))
        assert "integrity ok" in out
        conn = sqlite3.connect(copy)
        try:
            assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            assert conn.execute("SELECT COUNT(*) FROM users WHERE user_id = 8201").fetchone()[0] == 1
        finally:
            conn.close()
        _, out, _ = await bot.cli("db", "check")
        assert "integrity ok" in out


async def test_logs_never_carry_the_token_a_code_a_name_or_a_message_text(tmp_path: Path) -> None:
    token = "7712345678:AAE_s3cretTokenPart-0123456789abcdefgh"
    text = "Секретное сообщение о здоровье Артёма"
    async with (
        FakeTelegram(token=token) as tg,
        running_bot(tmp_path, tg, bot_token=token, log_format="json", log_level="DEBUG") as bot,
    ):
        [card] = await bot.cli_json("invite", "--person", "p01", "--json")
        father = tg.user(8301, first_name="Алексей", language_code="ru", username="alexey_secret_nick")
        await father.send(f"/start {card['code']}")
        await father.wait_reply(predicate=lambda m: "Иванов Алексей Викторович" in (m.text or ""))
        await father.send(text)
        await father.wait_reply(predicate=lambda m: m.text is not None and text not in m.text)
        tg.fail_next("getUpdates", "network")  # aiogram logs the failed request: its URL carries the token
        await father.send("/help")
        await father.wait_reply()
    log = bot.log()
    lines = [line for line in log.splitlines() if line.strip()]
    assert lines and all(json.loads(line) for line in lines)  # one JSON object per line, nothing else
    assert any("update_id" in json.loads(line) for line in lines)  # lines name their update
    for secret in (token, token.split(":")[1], card["code"], card["code"].replace("-", ""), text, "Алексей"):
        assert secret not in log, secret
    assert "alexey_secret_nick" not in log and "Иванов" not in log
