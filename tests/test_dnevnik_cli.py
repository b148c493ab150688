"""`ediary-bot dnevnik authorize` and `ediary-bot dnevnik check` through their argparse entry points, with
settings from the environment, against the fake Дневник.ру running in a thread of its own (the commands
run their own event loop)."""

from __future__ import annotations

import argparse
import io
import json
import os
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import httpx
import pytest

from bot.cli import main
from bot.cli.dnevnik import register
from bot.clock import ManualClock
from bot.ediary.dnevnik.auth import TOKEN_FILE_NAME, TokenFile
from tests.fakes.dnevnik_server import ALL_SCOPES, DnevnikFakeServer, serving_in_thread

DNEVNIK_VARS = (
    "EDIARY_PROVIDER",
    "DNEVNIK_API_URL",
    "DNEVNIK_SCHOOL_ID",
    "DNEVNIK_TOKEN",
    "DNEVNIK_CLIENT_ID",
    "DNEVNIK_CLIENT_SECRET",
    "DNEVNIK_REDIRECT_URI",
    "DNEVNIK_MAX_CONCURRENCY",
)
OWNER = "Орлова Наталья Викторовна (EduAdministrator, EduStaff)"


@pytest.fixture
def fake() -> Iterator[DnevnikFakeServer]:
    with serving_in_thread() as server:
        yield server


@pytest.fixture
def env(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # no stray .env
    for name in DNEVNIK_VARS:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("DATABASE_PATH", str(tmp_path / "data" / "bot.sqlite3"))

    def set_values(values: dict[str, str]) -> None:
        for name, value in values.items():
            monkeypatch.setenv(name.upper(), value)

    return set_values


@pytest.fixture
def cli(capsys):
    def run(*argv: str) -> tuple[int, str, str]:
        parser = argparse.ArgumentParser(prog="ediary-bot")
        register(parser.add_subparsers(dest="command", required=True, metavar="COMMAND"))
        args = parser.parse_args(argv)
        args.clock = ManualClock(datetime(2026, 11, 25, 10, 0), "Europe/Moscow")
        capsys.readouterr()
        code = args.func(args)
        out, err = capsys.readouterr()
        return code, out, err

    return run


def rows(out: str) -> dict[str, str]:
    table = out.split("ENDPOINT", 1)[1].splitlines()[1:]
    return {line.split()[0]: line.split(None, 1)[1] for line in table if line.strip() and "  " in line}


def test_check_shows_the_owner_the_school_and_every_endpoint(fake, env, cli):
    env(fake.settings_values(school=False))
    code, out, err = cli("dnevnik", "check")
    assert (code, err) == (0, "")
    assert "Token: DNEVNIK_TOKEN" in out and f"Belongs to: {OWNER}" in out
    assert f"Schools: {fake.school.id} МБОУ СОШ № 17" in out and "Classes: 5А, 6Б" in out
    table = rows(out)
    assert len(table) == 15 and set(table.values()) == {"OK"}
    assert {"users/{u}/relatives", "persons/{p}/group/{g}/recentmarks", "edu-groups/{g}/timetables"} <= set(table)
    assert fake.static_token not in out


def test_check_names_a_missing_scope_and_a_forbidden_endpoint(fake, env, cli):
    env(fake.settings_values() | {"dnevnik_token": fake.grant(ALL_SCOPES - {"FriendsAndRelatives"})})
    fake.fail("edu-groups/*/marks/*", "forbidden-html")
    fake.fail("edu-groups/*/final-marks", "not-found")
    code, out, err = cli("dnevnik", "check")
    assert (code, err) == (1, "")
    table = rows(out)
    assert table["users/{u}/relatives"] == "missing scope FriendsAndRelatives"
    assert table["edu-groups/{g}/marks"] == "forbidden"
    assert table["edu-groups/{g}/final-marks"] == "error (resourceNotFound)"
    assert table["edu-groups/{g}/lessons"] == "OK"


def test_check_with_a_rejected_token_says_so_in_one_line(fake, env, cli):
    env(fake.settings_values())
    fake.expire(fake.static_token)
    code, _, err = cli("dnevnik", "check")
    assert code == 1
    assert err.startswith("ediary-bot: error: Дневник.ру rejects DNEVNIK_TOKEN") and err.count("\n") == 1


def test_check_asks_for_the_school_when_the_token_sees_several(fake, env, cli):
    env(fake.settings_values(school=False))
    fake.extra_schools.append(("1152921504606847017", "Гимназия № 2"))
    code, out, _ = cli("dnevnik", "check")
    assert code == 1 and "1152921504606847017 Гимназия № 2" in out and "Set DNEVNIK_SCHOOL_ID" in out


def test_check_without_any_token(fake, env, cli):
    env(fake.settings_values(static_token=False))
    code, out, err = cli("dnevnik", "check")
    assert (code, out) == (2, "")
    assert err.startswith("ediary-bot: error: DNEVNIK_TOKEN is not set")


def test_authorize_needs_the_partner_application(fake, env, cli):
    env(fake.settings_values(static_token=False))
    code, out, err = cli("dnevnik", "authorize", "--code", "abc")
    assert (code, out) == (2, "")
    assert err == (
        "ediary-bot: error: dnevnik authorize needs DNEVNIK_CLIENT_ID, DNEVNIK_CLIENT_SECRET, DNEVNIK_REDIRECT_URI "
        "(the school's partner application; see .env.example)\n"
    )


def approve(url: str) -> str:
    """A signed-in browser at the login host: where it is redirected to."""
    return httpx.get(url, follow_redirects=False).headers["location"]


def test_authorize_with_the_redirect_url_stores_the_token_and_check_uses_it(fake, env, cli, tmp_path):
    env(fake.settings_values(static_token=False, oauth=True))
    scope = "CommonInfo,EducationalInfo,FriendsAndRelatives"
    query = f"client_id=partner-app&scope={scope}&redirect_uri={fake.oauth.redirect_uri}&state=abc"
    redirect = approve(f"{fake.login_url}/oauth2?response_type=code&{query}")
    code, out, err = cli("dnevnik", "authorize", "--code", redirect)
    assert (code, err) == (0, "")
    assert f"{fake.login_url}/oauth2?response_type=code&client_id=partner-app&scope=" in out
    assert f"Authorized as {OWNER}." in out and "the bot renews it itself" in out
    path = tmp_path / "data" / TOKEN_FILE_NAME
    token = TokenFile(path).load()
    assert os.stat(path).st_mode & 0o777 == 0o600 and token.access_token in fake.grants
    assert token.access_token not in out and (token.refresh_token or "-") not in out

    code, out, err = cli("dnevnik", "check")
    assert (code, err) == (0, "") and "Token: token file from `dnevnik authorize`" in out


class PastingStaff:
    """stdin of `authorize`: opens the address just printed and pastes where the browser was sent."""

    def __init__(self, capsys: pytest.CaptureFixture[str], tamper: bool = False) -> None:
        self.capsys, self.tamper, self.printed = capsys, tamper, ""

    def readline(self) -> str:
        self.printed = self.capsys.readouterr().out
        url = next(line for line in self.printed.splitlines() if line.startswith("http"))
        redirect = approve(url)
        return (redirect.replace("state=", "state=x") if self.tamper else redirect) + "\n"


def test_authorize_reads_the_pasted_url_and_checks_its_state(fake, env, cli, capsys, monkeypatch, tmp_path):
    env(fake.settings_values(static_token=False, oauth=True))
    monkeypatch.setattr("sys.stdin", PastingStaff(capsys))
    code, _, err = cli("dnevnik", "authorize")
    assert (code, err) == (0, "") and (tmp_path / "data" / TOKEN_FILE_NAME).exists()
    monkeypatch.setattr("sys.stdin", PastingStaff(capsys, tamper=True))
    code, _, err = cli("dnevnik", "authorize")
    assert code == 2 and "state differs" in err


def test_authorize_with_a_bad_code_fails_in_one_line(fake, env, cli, monkeypatch, tmp_path):
    env(fake.settings_values(static_token=False, oauth=True))
    monkeypatch.setattr("sys.stdin", io.StringIO("not-a-real-code\n"))
    code, _, err = cli("dnevnik", "authorize")
    assert code == 1 and err.startswith("ediary-bot: error: ") and err.count("\n") == 1
    assert not (tmp_path / "data" / TOKEN_FILE_NAME).exists()


def test_dnevnik_alone_asks_for_a_command(env, cli):
    code, out, err = cli("dnevnik")
    assert (code, out) == (2, "") and "choose a command" in err


def test_data_folder_is_where_the_token_goes(fake, env, cli, tmp_path: Path):
    env(fake.settings_values(static_token=False, oauth=True) | {"database_path": str(tmp_path / "elsewhere" / "b.db")})
    query = f"client_id=partner-app&scope=CommonInfo&redirect_uri={fake.oauth.redirect_uri}"
    redirect = approve(f"{fake.login_url}/oauth2?{query}")
    code, _, _ = cli("dnevnik", "authorize", "--code", redirect)
    assert code == 0 and (tmp_path / "elsewhere" / TOKEN_FILE_NAME).exists()


@pytest.mark.parametrize(
    "argv",
    [
        ("demo", "add-grade", "--student", "s01", "--subject", "Математика", "--value", "5"),
        ("demo", "delete-grade", "--grade", "g1"),
        ("demo", "add-homework", "--class", "5А", "--subject", "Математика", "--due", "2026-12-01", "--text", "x"),
    ],
)
def test_demo_commands_say_they_need_the_demo_provider(fake, env, capsys, tmp_path, argv):
    env(fake.settings_values(school=False))
    code = main(list(argv))
    out, err = capsys.readouterr()
    assert (code, out) == (2, "")
    assert err == (
        "ediary-bot: error: demo commands need EDIARY_PROVIDER=demo (it is dnevnik): "
        "change this school's data in its e-diary\n"
    )
    assert not (tmp_path / "data").exists() and fake.requests == []  # nothing opened, nothing asked


def test_people_and_invite_read_the_school_from_dnevnik(fake, env, capsys, tmp_path):
    env(fake.settings_values(school=False) | {"bot_username": "ediary_test_bot"})
    school = fake.school
    mother = school.student("Новикова", "Светлана")
    sons = [school.student("Новиков", "Артём").id, school.student("Новиков", "Илья").id]
    assert main(["people", "--json"]) == 0
    rows = {row["id"]: row for row in json.loads(capsys.readouterr().out)}
    assert rows[mother.id] == {
        "id": mother.id,
        "name": "Новикова Светлана Юрьевна",
        "role": "parent",
        "children": sons,
        "classes": ["5А", "6Б"],
    }
    teacher = school.student("Соколова", "Ирина").id
    assert rows[teacher] | {"classes": None} == {
        "id": teacher,
        "name": "Соколова Ирина Владимировна",
        "role": "teacher",
        "subjects": ["Математика"],
        "classes": None,
        "homeroom": "5А",
    }
    assert sorted(r["id"] for r in rows.values() if r["role"] == "student") == sorted(
        p for g in school.groups.values() if g.type == "Group" for p in g.students
    )

    assert main(["invite", "--class", "6Б", "--role", "parent", "--json"]) == 0
    out, err = capsys.readouterr()
    invited = {row["person_id"]: row for row in json.loads(out)}
    logins = [school.people[p].user_id for p in school.group_by_name("6Б").students]
    assert set(invited) == {parent for login in logins if login for parent in school.relatives.get(login, [])}
    assert invited[mother.id]["link"].startswith("https://t.me/ediary_test_bot?start=")
    assert "3 code(s) issued" in err
    assert main(["invite", "--person", "1", "--json"]) == 2
    assert "unknown person id(s): 1" in capsys.readouterr().err
