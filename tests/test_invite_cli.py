"""`ediary-bot invite` for the school's IT admin: tables, JSON, CSV and the sheet; revoking; bad arguments."""

from __future__ import annotations

import asyncio
import csv
import errno
import io
import json
import re
import stat
from pathlib import Path

import pytest

from bot import cli
from bot.cli import invite as invite_cli
from bot.clock import ManualClock
from bot.codes.code import normalize_code
from bot.codes.secret import code_hasher
from bot.config import Settings
from bot.invite import export
from storage import audit
from storage import codes as codes_repo
from storage.db import Database
from tests.conftest import make_settings
from tests.e2e import bot_env, run_cli
from tests.harness import FakeTelegram

CODE_SHAPE = r"^[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}$"


def invite(capsys, settings: Settings, clock: ManualClock, *argv: str) -> tuple[int, str, str]:
    try:
        code = cli.main(["invite", *argv], clock=clock, settings=settings)
    except SystemExit as exc:  # argparse's own errors
        code = int(exc.code)
    out, err = capsys.readouterr()
    return code, out, err


def query(settings: Settings, sql: str, params: tuple = ()) -> list[tuple]:
    async def run() -> list[tuple]:
        db = await Database.open(settings.database_path)
        try:
            return [tuple(r) for r in await db.fetchall(sql, params)]
        finally:
            await db.close()

    return asyncio.run(run())


def stored_code(settings: Settings, code: str) -> codes_repo.StoredCode | None:
    async def run() -> codes_repo.StoredCode | None:
        db = await Database.open(settings.database_path)
        try:
            return await codes_repo.find_by_hash(db, code_hasher(settings).code(normalize_code(code)))
        finally:
            await db.close()

    return asyncio.run(run())


def test_json_for_a_person(capsys, settings: Settings, clock: ManualClock) -> None:
    code, out, err = invite(capsys, settings, clock, "--person", "p01", "--json")
    assert code == 0, err
    [record] = json.loads(out)
    assert set(record) >= {"person_id", "name", "role", "code", "link", "expires_at"}
    assert record["person_id"] == "p01" and record["role"] == "parent"
    assert record["name"] == "Иванов Алексей Викторович"
    assert record["classes"] == ["5А", "9В"]
    assert re.match(CODE_SHAPE, record["code"])
    assert record["link"] == f"https://t.me/ediary_test_bot?start={record['code'].replace('-', '')}"
    assert record["expires_at"] == "2026-12-10T00:00:00+03:00"  # 14 days, through the whole last day
    stored = stored_code(settings, record["code"])
    assert stored is not None and stored.person_id == "p01" and stored.issued_by is None
    dump = " ".join(map(str, query(settings, "SELECT * FROM link_codes")))
    assert record["code"].replace("-", "") not in dump and record["code"] not in dump


def test_code_ttl_days_setting(capsys, tmp_path: Path, clock: ManualClock) -> None:
    settings = make_settings(tmp_path, code_ttl_days=3)
    _, out, _ = invite(capsys, settings, clock, "--person", "s01", "--json")
    assert json.loads(out)[0]["expires_at"] == "2026-11-29T00:00:00+03:00"


def test_a_readable_table_by_default(capsys, settings: Settings, clock: ManualClock) -> None:
    code, out, _ = invite(capsys, settings, clock, "--person", "p01", "--person", "s17")
    assert code == 0
    lines = out.splitlines()
    assert lines[0].split() == ["PERSON", "ROLE", "NAME", "CLASS", "CODE", "LINK"]
    assert lines[1].startswith("p01") and "Иванов Алексей Викторович" in lines[1] and "5А, 9В" in lines[1]
    assert lines[2].startswith("s17") and "https://t.me/ediary_test_bot?start=" in lines[2]
    assert "2 code(s) issued, valid through 2026-12-09" in out


@pytest.mark.parametrize(
    ("role", "expected_roles", "count"),
    [
        ("student", {"student"}, 8),
        ("parent", {"parent"}, None),
        ("all", {"student", "parent"}, None),
    ],
)
def test_a_class_by_role(
    capsys, settings: Settings, clock: ManualClock, role: str, expected_roles: set, count: int | None
) -> None:
    _, out, err = invite(capsys, settings, clock, "--class", "5а", "--role", role, "--json")
    records = json.loads(out)
    assert {r["role"] for r in records} == expected_roles
    assert all("5А" in r["classes"] for r in records)
    assert len({r["person_id"] for r in records}) == len(records)
    if count is not None:
        assert len(records) == count
    assert "issued" in err  # the summary goes to stderr when stdout carries JSON


def test_csv_for_mail_merge(capsys, settings: Settings, clock: ManualClock, tmp_path: Path) -> None:
    target = tmp_path / "codes.csv"
    code, out, _ = invite(capsys, settings, clock, "--class", "7Б", "--role", "parent", "--csv", str(target))
    assert code == 0
    raw = target.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # Excel reads UTF-8 with a BOM
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert list(rows[0]) == ["person_id", "name", "role", "classes", "code", "link", "expires_at"]
    assert {r["role"] for r in rows} == {"parent"}
    assert all(stored_code(settings, r["code"]).person_id == r["person_id"] for r in rows)
    assert stat.S_IMODE(target.stat().st_mode) == 0o600  # codes in clear: readable by the owner only
    assert f"wrote {len(rows)} code(s) to {target}" in out
    assert not any(r["code"] in out for r in rows)  # no codes on the terminal when they go to a file


def test_csv_to_standard_output(capsys, settings: Settings, clock: ManualClock) -> None:
    _, out, err = invite(capsys, settings, clock, "--person", "t01", "--csv", "-")
    rows = list(csv.DictReader(io.StringIO(out.lstrip("\ufeff"))))
    assert [r["person_id"] for r in rows] == ["t01"]
    assert "1 code(s) issued" in err


def test_the_printable_sheet(capsys, settings: Settings, clock: ManualClock, tmp_path: Path) -> None:
    target = tmp_path / "sheet.html"
    code, _, _ = invite(capsys, settings, clock, "--class", "9В", "--html", str(target), "--lang", "en")
    assert code == 0
    html = target.read_text(encoding="utf-8")
    issued = query(settings, "SELECT person_id FROM link_codes")
    assert html.count('<section class="card"') == len(issued)
    assert '<html lang="en">' in html and "Class 9В: students and parents" in html
    assert "<svg" in html and "https://t.me/ediary_test_bot?start=" in html


def test_revoke_one_code(capsys, settings: Settings, clock: ManualClock) -> None:
    _, out, _ = invite(capsys, settings, clock, "--person", "s02", "--json")
    printed = json.loads(out)[0]["code"]
    code, out, _ = invite(capsys, settings, clock, "revoke", printed.lower().replace("-", " "))
    assert code == 0 and "revoked the code of s02" in out
    assert stored_code(settings, printed).revoked_at is not None
    code, out, _ = invite(capsys, settings, clock, "revoke", printed)
    assert code == 0 and "already revoked" in out
    code, _, err = invite(capsys, settings, clock, "revoke", "2345-6789-ABCD")
    assert code == 1 and "no such code" in err
    revoked = query(settings, "SELECT person_id FROM audit_log WHERE event = ?", (audit.CODE_REVOKED,))
    assert revoked == [("s02",)]


def test_a_used_code_cannot_be_revoked(capsys, settings: Settings, clock: ManualClock) -> None:
    _, out, _ = invite(capsys, settings, clock, "--person", "s03", "--json")
    printed = json.loads(out)[0]["code"]
    query(settings, "UPDATE link_codes SET used_at = created_at, used_by = 1")
    code, _, err = invite(capsys, settings, clock, "revoke", printed)
    assert code == 1 and "already used" in err and "/unlink" in err


def test_revoke_every_unused_code_of_a_person(capsys, settings: Settings, clock: ManualClock) -> None:
    for _ in range(3):
        invite(capsys, settings, clock, "--person", "p01", "--json")
    invite(capsys, settings, clock, "--person", "p02", "--json")
    query(settings, "UPDATE link_codes SET used_at = created_at WHERE id = 1")
    code, out, _ = invite(capsys, settings, clock, "--person", "p01", "--revoke")
    assert code == 0 and "p01 (Иванов Алексей Викторович): revoked 2 unused code(s)" in out
    rows = query(settings, "SELECT person_id, used_at IS NOT NULL, revoked_at IS NOT NULL FROM link_codes ORDER BY id")
    assert rows == [("p01", 1, 0), ("p01", 0, 1), ("p01", 0, 1), ("p02", 0, 0)]


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        ([], "say whom the codes are for"),
        (["--person", "p99", "--person", "zz"], "unknown person id(s): p99, zz"),
        (["--class", "8Z"], "unknown class '8Z' (classes: 5А, 7Б, 9В)"),
        (["--person", "p01", "--role", "parent"], "--role goes with --class"),
        (["--person", "p01", "--class", "5А"], "say whom the codes are for"),
        (["--class", "5А", "--role", "teacher"], "invalid choice: 'teacher'"),
        (["--person", "p01", "--bogus"], "unrecognized arguments: --bogus"),
        (["--person", "p01", "--json", "--csv", "-"], "only one output can go to standard output"),
        (["--person", "p01", "--revoke", "--json"], "--revoke prints a summary only"),
        (["--person", "p01", "--html", "/no/such/folder/sheet.html"], "folder /no/such/folder does not exist"),
        (["--person", "p01", "--csv", "."], "is a directory"),
        (["--person", ""], "--person needs an id"),
        (["revoke"], "the following arguments are required: code"),
        (["revoke", "K7QF-93XM"], "is not a code"),
        (["--person", "p01", "revoke", "K7QF-93XM-RT2P"], "takes no other options"),
        (["revoke", "K7QF-93XM-RT2P", "--json"], "unrecognized arguments: --json"),
    ],
)
def test_bad_arguments_get_one_clear_line_and_nothing_is_issued(
    capsys, settings: Settings, clock: ManualClock, argv: list[str], message: str
) -> None:
    code, out, err = invite(capsys, settings, clock, *argv)
    assert code == 2
    assert len(err.strip().splitlines()) == 1, err
    assert err.startswith("ediary-bot invite") and message in err
    assert out == ""
    if settings.database_path.exists():
        assert query(settings, "SELECT COUNT(*) FROM link_codes") == [(0,)]


def test_the_real_command_line_reports_bad_arguments_in_one_line(capsys) -> None:
    with pytest.raises(SystemExit) as exit_info:
        cli.main(["invite", "--person", "p01", "--bogus"])
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert err.strip().splitlines() == [
        "ediary-bot invite: error: unrecognized arguments: --bogus (see ediary-bot invite --help)"
    ]


def test_without_bot_username_or_token_the_admin_is_told_to_set_bot_username(
    capsys, tmp_path: Path, clock: ManualClock
) -> None:
    settings = make_settings(tmp_path, bot_username=None, bot_token=None)
    code, _, err = invite(capsys, settings, clock, "--person", "p01")
    assert code == 2 and "BOT_USERNAME is not set" in err and len(err.strip().splitlines()) == 1
    assert query(settings, "SELECT COUNT(*) FROM link_codes") == [(0,)]


def test_codes_are_taken_back_when_the_file_cannot_be_written(
    capsys, settings: Settings, clock: ManualClock, tmp_path: Path, monkeypatch
) -> None:
    def disk_full(path: Path, text: str, *, bom: bool) -> None:
        raise OSError(errno.ENOSPC, "No space left on device", str(path))

    monkeypatch.setattr(export, "write_private", disk_full)
    code, _, err = invite(capsys, settings, clock, "--class", "5А", "--html", str(tmp_path / "s.html"))
    assert code == 1 and "No space left on device" in err and "were revoked" in err
    assert query(settings, "SELECT COUNT(*), COUNT(revoked_at) FROM link_codes")[0][0] > 0
    assert query(settings, "SELECT COUNT(*) FROM link_codes WHERE revoked_at IS NULL") == [(0,)]


async def test_the_username_comes_from_get_me_once_and_is_cached(tmp_path: Path) -> None:
    async with FakeTelegram(token="42:TEST", bot_username="school_demo_bot") as tg:
        env = bot_env(tmp_path, tg)
        env.pop("BOT_USERNAME", None)
        env["EDIARY_TEST_CWD"] = str(tmp_path)
        _, out, _ = await run_cli(env, "invite", "--person", "s01", "--json")
        assert json.loads(out)[0]["link"].startswith("https://t.me/school_demo_bot?start=")
        _, out, _ = await run_cli(env, "invite", "--person", "s02", "--json")
        assert json.loads(out)[0]["link"].startswith("https://t.me/school_demo_bot?start=")
        assert [method for method, _ in tg.requests].count("getMe") == 1
        tg.fail_next("getMe", 401, times=None)
        env["BOT_TOKEN"] = "43:OTHER"  # another bot: the cache does not apply, and Telegram refuses
        code, _, err = await run_cli(env, "invite", "--person", "s03", expect=None)
        assert code == 1 and "set BOT_USERNAME" in err and len(err.strip().splitlines()) == 1


def test_sheet_languages_follow_the_bots_languages() -> None:
    from bot.i18n import DEFAULT_LOCALE, SUPPORTED_LOCALES

    assert invite_cli.SHEET_LANGUAGES == SUPPORTED_LOCALES
    assert invite_cli.DEFAULT_SHEET_LANGUAGE == DEFAULT_LOCALE
