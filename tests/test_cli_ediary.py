"""`ediary-bot demo ...` and `ediary-bot people` through bot.cli.main."""

from __future__ import annotations

import asyncio
import json
import shutil
import sqlite3
from contextlib import closing
from datetime import datetime
from pathlib import Path

import pytest

from bot.cli import main
from bot.clock import ManualClock
from bot.ediary.demo import DemoProvider

TODAY = "2026-11-25"
TABLES = ("grades", "homework", "overrides", "meta", "messages")


def clock() -> ManualClock:
    return ManualClock(datetime(2026, 11, 25, 10, 0), "Europe/Moscow")


@pytest.fixture(scope="module")
def seeded(tmp_path_factory):
    """One seeded demo file per module; each test gets a copy (seeding is the slow part)."""
    path = tmp_path_factory.mktemp("seed") / "demo.sqlite3"

    async def seed():
        await (await DemoProvider.open(path, clock())).close()

    asyncio.run(seed())
    return path


@pytest.fixture
def env(tmp_path, monkeypatch, seeded):
    monkeypatch.chdir(tmp_path)  # no stray .env
    for name in ("BOT_TOKEN", "TIMEZONE", "EDIARY_PROVIDER"):
        monkeypatch.delenv(name, raising=False)
    path = tmp_path / "demo.sqlite3"
    for suffix in ("", "-wal"):
        if Path(f"{seeded}{suffix}").exists():
            shutil.copy(f"{seeded}{suffix}", f"{path}{suffix}")
    monkeypatch.setenv("DEMO_DATABASE_PATH", str(path))
    return path


@pytest.fixture
def cli(env, capsys):
    manual_clock = clock()

    def run(*argv: str) -> tuple[int, str, str]:
        capsys.readouterr()
        code = main(list(argv), clock=manual_clock)
        out, err = capsys.readouterr()
        return code, out, err

    return run


def dump(path) -> dict:
    with closing(sqlite3.connect(path)) as conn:
        return {t: conn.execute(f"SELECT * FROM {t} ORDER BY 1, 2").fetchall() for t in TABLES}


def ok_json(result):
    code, out, err = result
    assert (code, err) == (0, "")
    return json.loads(out)


def test_add_grade_prints_the_grade(cli):
    grade = ok_json(
        cli(
            "demo",
            "add-grade",
            "--student",
            "s01",
            "--subject",
            "математика",
            "--value",
            "5+",
            "--work-type",
            "Контрольная работа",
            "--comment",
            "Молодец!",
        )
    )
    assert grade["id"].startswith("gm")
    assert {
        k: grade[k]
        for k in ("student_id", "subject", "value", "numeric", "weight", "work_type", "date", "comment", "teacher_id")
    } == {
        "student_id": "s01",
        "subject": "Математика",
        "value": "5+",
        "numeric": 5.0,
        "weight": 2.0,
        "work_type": "Контрольная работа",
        "date": TODAY,
        "comment": "Молодец!",
        "teacher_id": "t01",
    }
    assert grade["lesson_id"] == "l20261125-5a-5"  # 5А has Математика at lesson 5 on Wednesdays


def test_add_grade_with_date_and_weight(cli):
    grade = ok_json(
        cli(
            "demo",
            "add-grade",
            "--student",
            "s17",
            "--subject",
            "Физика",
            "--value",
            "н",
            "--date",
            "2026-11-20",
            "--weight",
            "1.5",
        )
    )
    assert (grade["date"], grade["weight"], grade["numeric"], grade["work_type"]) == (
        "2026-11-20",
        1.5,
        None,
        "Ответ на уроке",
    )


def test_change_and_delete_grade(cli, env):
    grade = ok_json(cli("demo", "add-grade", "--student", "s02", "--subject", "Русский язык", "--value", "3"))
    changed = ok_json(cli("demo", "change-grade", "--grade", grade["id"], "--value", "4-"))
    assert (changed["id"], changed["value"], changed["numeric"]) == (grade["id"], "4-", 4.0)
    generated = dump(env)["grades"][0][0]
    deleted = ok_json(cli("demo", "delete-grade", "--grade", generated))
    assert deleted["id"] == generated
    assert generated not in [row[0] for row in dump(env)["grades"]]


def test_add_homework(cli):
    homework = ok_json(
        cli(
            "demo",
            "add-homework",
            "--class",
            "7б",
            "--subject",
            "Литература",
            "--due",
            "2026-11-27",
            "--text",
            "Прочитать «Тараса Бульбу»",
        )
    )
    assert {k: homework[k] for k in ("class_name", "subject", "text", "due", "assigned")} == {
        "class_name": "7Б",
        "subject": "Литература",
        "text": "Прочитать «Тараса Бульбу»",
        "due": "2026-11-27",
        "assigned": TODAY,
    }


def test_substitute_teacher_room_cancel_and_add(cli):
    monday = ("--class", "5А", "--date", "2026-11-30")  # 5А has lessons 1-5 on Mondays
    sub = ok_json(
        cli(
            "demo",
            "substitute",
            "--class",
            "9В",
            "--date",
            "2026-12-02",
            "--lesson",
            "1",
            "--teacher",
            "t09",
            "--reason",
            "болезнь учителя",
        )
    )
    assert (sub["status"], sub["teacher_id"], sub["reason"]) == ("substituted", "t09", "болезнь учителя")
    assert sub["original_teacher_id"] and sub["original_teacher_id"] != "t09"
    moved = ok_json(cli("demo", "substitute", *monday, "--lesson", "2", "--room", "Библиотека"))
    assert (moved["status"], moved["room"], moved["original_room"]) == ("room_changed", "Библиотека", "204")
    cancelled = ok_json(cli("demo", "substitute", *monday, "--lesson", "3", "--cancel", "--reason", "экскурсия"))
    assert (cancelled["status"], cancelled["reason"]) == ("cancelled", "экскурсия")
    added = ok_json(
        cli(
            "demo",
            "substitute",
            *monday,
            "--lesson",
            "6",
            "--add",
            "--subject",
            "Русский язык",
            "--teacher",
            "t03",
            "--reason",
            "консультация",
        )
    )
    assert (added["status"], added["subject"], added["teacher_id"], added["room"], added["start"]) == (
        "added",
        "Русский язык",
        "t03",
        "210",
        "13:25:00",
    )


@pytest.mark.parametrize(
    "argv",
    [
        ("demo", "add-grade", "--student", "s99", "--subject", "Математика", "--value", "5"),
        ("demo", "add-grade", "--student", "s01", "--subject", "Астрономия", "--value", "5"),
        ("demo", "add-grade", "--student", "s01", "--subject", "Физика", "--value", "5"),  # not taught in 5А
        ("demo", "add-grade", "--student", "s01", "--subject", "Математика", "--value", "6"),
        ("demo", "add-grade", "--student", "s01", "--subject", "Математика", "--value", "отл"),
        ("demo", "add-grade", "--student", "s01", "--subject", "Математика", "--value", "5", "--weight", "0"),
        ("demo", "add-grade", "--student", "s01", "--subject", "Математика", "--value", "5", "--weight", "-1"),
        ("demo", "add-grade", "--student", "s01", "--subject", "Математика", "--value", "5", "--weight", "two"),
        ("demo", "add-grade", "--student", "s01", "--subject", "Математика", "--value", "5", "--date", "25.11.2026"),
        ("demo", "add-grade", "--student", "s01", "--subject", "Математика", "--value", "5", "--date", "2026-13-01"),
        ("demo", "change-grade", "--grade", "nope", "--value", "5"),
        ("demo", "change-grade", "--grade", "g20260901-s01-1", "--value", "55"),
        ("demo", "delete-grade", "--grade", "nope"),
        ("demo", "add-homework", "--class", "11Я", "--subject", "Математика", "--due", "2026-11-27", "--text", "x"),
        ("demo", "add-homework", "--class", "5А", "--subject", "Химия", "--due", "2026-11-27", "--text", "x"),
        ("demo", "add-homework", "--class", "5А", "--subject", "Математика", "--due", "завтра", "--text", "x"),
        ("demo", "add-homework", "--class", "5А", "--subject", "Математика", "--due", "2026-11-27", "--text", " "),
        ("demo", "substitute", "--class", "5А", "--date", "2026-11-28", "--lesson", "1", "--cancel"),  # Saturday
        ("demo", "substitute", "--class", "5А", "--date", "2026-11-02", "--lesson", "1", "--cancel"),  # holidays
        ("demo", "substitute", "--class", "5А", "--date", "30.11.2026", "--lesson", "1", "--cancel"),
        ("demo", "substitute", "--class", "5А", "--date", "2026-11-30", "--lesson", "6", "--cancel"),
        ("demo", "substitute", "--class", "5А", "--date", "2026-11-30", "--lesson", "first", "--cancel"),
        ("demo", "substitute", "--class", "5А", "--date", "2026-11-30", "--lesson", "1", "--teacher", "t99"),
        ("demo", "substitute", "--class", "5А", "--date", "2026-11-30", "--lesson", "1", "--teacher", "s01"),
        ("demo", "substitute", "--class", "5Я", "--date", "2026-11-30", "--lesson", "1", "--cancel"),
        ("demo", "substitute", "--class", "5А", "--date", "2026-11-30", "--lesson", "1"),
        (
            "demo",
            "substitute",
            "--class",
            "5А",
            "--date",
            "2026-11-30",
            "--lesson",
            "1",
            "--cancel",
            "--teacher",
            "t02",
        ),
        (
            "demo",
            "substitute",
            "--class",
            "5А",
            "--date",
            "2026-11-30",
            "--lesson",
            "1",
            "--add",
            "--subject",
            "Математика",
            "--teacher",
            "t01",
        ),  # the slot is taken
        (
            "demo",
            "substitute",
            "--class",
            "5А",
            "--date",
            "2026-11-30",
            "--lesson",
            "8",
            "--add",
            "--subject",
            "Математика",
            "--teacher",
            "t01",
        ),
        ("demo", "substitute", "--class", "5А", "--date", "2026-11-30", "--lesson", "6", "--add", "--teacher", "t01"),
        ("demo", "substitute", "--class", "5А", "--date", "2026-11-30", "--lesson", "1", "--room", ""),
    ],
)
def test_bad_arguments_exit_2_with_one_line_and_write_nothing(cli, env, argv):
    before = dump(env)
    code, out, err = cli(*argv)
    assert code == 2 and out == ""
    assert err.startswith("ediary-bot: error: ") and err.count("\n") == 1, err
    assert dump(env) == before


def test_substitute_with_a_busy_teacher_is_refused(cli, env):
    before = dump(env)
    # on Mondays t08 gives 7Б its first lesson (Физическая культура)
    code, out, err = cli(
        "demo", "substitute", "--class", "5А", "--date", "2026-11-30", "--lesson", "1", "--teacher", "t08"
    )
    assert (code, out, err) == (2, "", "ediary-bot: error: t08 teaches 7Б at lesson 1 on 2026-11-30\n")
    assert dump(env) == before


def test_people_json_fields(cli):
    people = ok_json(cli("people", "--json"))
    by_id = {p["id"]: p for p in people}
    assert len([p for p in people if p["role"] == "student"]) >= 20
    assert by_id["s01"] == {
        "id": "s01",
        "name": "Иванов Артём Алексеевич",
        "role": "student",
        "class": "5А",
        "parents": ["p01", "p02"],
    }
    assert by_id["p01"]["children"] == ["s01", "s17"] and by_id["p01"]["role"] == "parent"
    assert by_id["t01"] == {
        "id": "t01",
        "name": "Белова Елена Викторовна",
        "role": "teacher",
        "subjects": ["Математика"],
        "classes": ["5А", "7Б"],
        "homeroom": "5А",
    }
    assert by_id["t02"]["homeroom"] is None


def test_people_filters_and_table(cli):
    students = ok_json(cli("people", "--class", "9в", "--role", "student", "--json"))
    assert len(students) == 8 and {s["class"] for s in students} == {"9В"}
    code, out, err = cli("people", "--class", "5А")
    assert code == 0 and err == ""
    lines = out.splitlines()
    assert lines[0].split() == ["ID", "ROLE", "NAME", "DETAILS"]
    assert any(line.startswith("p01 ") and "s17" in line for line in lines)
    assert any(line.startswith("t01 ") and "homeroom 5А" in line for line in lines)
    code, out, err = cli("people", "--class", "12Z")
    assert (code, out) == (2, "") and err.startswith("ediary-bot: error: unknown class")


def test_bad_settings_exit_2(env, capsys, monkeypatch):
    monkeypatch.setenv("TIMEZONE", "Mars/Phobos")
    assert main(["people"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("ediary-bot: error: TIMEZONE") and err.count("\n") == 1
    monkeypatch.delenv("TIMEZONE")
    monkeypatch.setenv("EDIARY_PROVIDER", "netschool")
    assert main(["people"]) == 2
    assert "EDIARY_PROVIDER" in capsys.readouterr().err


def test_demo_without_a_command(env, capsys):
    assert main(["demo"]) == 2
    assert capsys.readouterr().err.startswith("ediary-bot: error: demo:")
