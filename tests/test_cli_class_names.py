"""Class names typed with Latin look-alikes ("5A", "9b") mean the school's Cyrillic classes in every staff
command and in /invite; and `invite --json` lists every class a teacher teaches (issue 11, item 11)."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest

from bot import cli
from bot.clock import ManualClock
from bot.config import Settings
from bot.invite.people import match_class
from tests.conftest import ADMIN_ID, TEST_NOW, App, make_settings
from tests.demo_school import copy_demo_school


@pytest.fixture
def school(tmp_path: Path) -> tuple[Settings, ManualClock]:
    clock = ManualClock(TEST_NOW, "Europe/Moscow")
    settings = make_settings(tmp_path)
    asyncio.run(copy_demo_school(settings.demo_database_path, clock))
    return settings, clock


def run(capsys, school: tuple[Settings, ManualClock], *argv: str) -> tuple[int, str, str]:
    settings, clock = school
    capsys.readouterr()
    code = cli.main(list(argv), clock=clock, settings=settings)
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize(("typed", "meant"), [("5A", "5А"), ("5a", "5А"), (" 9 B ", "9В"), ("9в", "9В"), ("7-Б", "7Б")])
def test_look_alike_letters_mean_the_schools_class(typed: str, meant: str) -> None:
    assert match_class(typed, ["5А", "7Б", "9В"]) == meant


def test_nothing_else_is_taken_for_a_class() -> None:
    for typed in ("5", "5Б", "A5", "55А", ""):
        assert match_class(typed, ["5А", "7Б", "9В"]) is None


def test_every_class_argument_accepts_a_latin_a(capsys, school) -> None:
    code, out, err = run(capsys, school, "invite", "--class", "5A", "--role", "student", "--json")
    assert code == 0, err
    assert {record["classes"][0] for record in json.loads(out)} == {"5А"}

    code, out, err = run(capsys, school, "people", "--class", "5A", "--role", "student", "--json")
    assert code == 0, err
    assert len(json.loads(out)) == 8 and {row["class"] for row in json.loads(out)} == {"5А"}

    args = ("--subject", "Математика", "--due", "2026-11-27", "--text", "№ 12")
    code, out, err = run(capsys, school, "demo", "add-homework", "--class", "5A", *args)
    assert code == 0, err
    assert json.loads(out)["class_name"] == "5А"

    code, out, err = run(
        capsys,
        school,
        "demo",
        "substitute",
        "--class",
        "9B",
        "--date",
        "2026-11-26",
        "--lesson",
        "1",
        "--room",
        "Библиотека",
    )
    assert code == 0, err

    code, _, err = run(capsys, school, "people", "--class", "5Z")
    assert code == 2 and "unknown class '5Z'" in err


def test_invite_json_lists_every_class_a_teacher_teaches(capsys, school) -> None:
    code, out, err = run(capsys, school, "invite", "--person", "t01", "--person", "t02", "--json")
    assert code == 0, err
    by_person = {record["person_id"]: record["classes"] for record in json.loads(out)}
    assert by_person["t01"] == ["5А", "7Б"]  # Белова: Математика in 5А and 7Б, homeroom 5А
    assert by_person["t02"] == ["5А", "7Б", "9В"]  # Кузнецов: no homeroom class, teaches in all three


async def test_invite_in_the_bot_takes_a_latin_class_name(app: App) -> None:
    admin = app.client(ADMIN_ID, language_code="en")
    await admin.send("/invite 9B")
    assert "Codes for class 9В" in admin.last_message().text
