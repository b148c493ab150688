"""`ediary-bot demo init --classes N --students-per-class M`: a demo school of any size, the same for the same
size, with a timetable in which no teacher is in two classes at once; an existing school is replaced only with
--force, and bad arguments change nothing."""

from __future__ import annotations

import asyncio
import json
from collections import Counter
from pathlib import Path

import pytest

from bot.cli import main
from bot.clock import ManualClock
from bot.config import Settings
from bot.ediary.demo import DemoProvider
from bot.ediary.demo.directory import Directory
from bot.ediary.demo.sized import build_sized_directory, class_name
from bot.ediary.model import Role
from tests.conftest import make_settings


def init(
    capsys: pytest.CaptureFixture[str], settings: Settings, clock: ManualClock, *args: str
) -> tuple[int, str, str]:
    code = main(["demo", "init", *args], settings=settings, clock=clock)
    out, err = capsys.readouterr()
    return code, out, err


def opened(settings: Settings, clock: ManualClock) -> Directory:
    async def read() -> Directory:
        provider = await DemoProvider.open(settings.demo_database_path, clock)
        try:
            assert len(await provider.list_classes()) == len(provider.directory.classes)
            return provider.directory
        finally:
            await provider.close()

    return asyncio.run(read())


def test_a_school_of_the_size_asked_for(capsys, settings: Settings, clock: ManualClock) -> None:
    code, out, err = init(capsys, settings, clock, "--classes", "9", "--students-per-class", "7")
    assert code == 0, err
    made = json.loads(out)
    assert (made["classes"], made["students"]) == (9, 63)
    assert 63 <= made["parents"] <= 126 and made["teachers"] > 0
    assert made["filled_through"] == "2026-11-25"
    d = opened(settings, clock)
    assert Counter(d.student_class.values()) == dict.fromkeys(d.classes, 7)
    assert len({name for name, _ in d.classes.values()}) == 9
    assert all(d.parents[s] for s in d.student_class)  # every child has a parent in the e-diary
    busy = Counter((slot.weekday, slot.number, slot.teacher_id) for slot in d.slots)
    assert max(busy.values()) == 1  # nobody teaches two classes at once
    homerooms = [head for _, head in d.classes.values()]
    assert len(set(homerooms)) == len(homerooms)
    assert sum(p.role == Role.TEACHER for p in d.people.values()) == made["teachers"]


def test_the_same_size_gives_the_same_school(capsys, tmp_path: Path, clock: ManualClock) -> None:
    schools = []
    for folder in ("one", "two"):
        settings = make_settings(tmp_path / folder)
        assert init(capsys, settings, clock, "--classes", "5", "--students-per-class", "4")[0] == 0
        schools.append(opened(settings, clock))
    first, second = schools
    assert first.people == second.people and first.classes == second.classes
    assert sorted(first.slots, key=str) == sorted(second.slots, key=str)
    assert build_sized_directory(5, 4).people == first.people
    assert [class_name(n) for n in (0, 10, 11, 297)] == ["1А", "11А", "1Б", "1А2"]


def test_an_existing_school_is_replaced_only_with_force(capsys, settings: Settings, clock: ManualClock) -> None:
    assert init(capsys, settings, clock, "--classes", "2", "--students-per-class", "3")[0] == 0
    before = settings.demo_database_path.read_bytes()
    code, out, err = init(capsys, settings, clock, "--classes", "4", "--students-per-class", "3")
    assert (code, out) == (2, "") and "exists (--force replaces it)" in err
    assert settings.demo_database_path.read_bytes() == before
    code, out, _ = init(capsys, settings, clock, "--classes", "4", "--students-per-class", "3", "--force")
    assert code == 0 and json.loads(out)["classes"] == 4
    assert len(opened(settings, clock).classes) == 4


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--classes", "0", "--students-per-class", "3"], "--classes: expected a whole number from 1 to 2000"),
        (["--classes", "x", "--students-per-class", "3"], "--classes: expected a whole number from 1 to 2000"),
        (["--classes", "3", "--students-per-class", "61"], "--students-per-class: expected a whole number from 1"),
    ],
)
def test_bad_sizes_change_nothing(
    capsys, settings: Settings, clock: ManualClock, args: list[str], message: str
) -> None:
    code, out, err = init(capsys, settings, clock, *args)
    assert (code, out) == (2, "") and message in err
    assert not settings.demo_database_path.exists()


def test_only_for_the_demo_e_diary(capsys, tmp_path: Path, clock: ManualClock) -> None:
    settings = make_settings(tmp_path, ediary_provider="mesh", mesh_token="x")
    code, _, err = init(capsys, settings, clock, "--classes", "2", "--students-per-class", "2")
    assert code == 2 and "needs EDIARY_PROVIDER=demo (it is mesh)" in err
