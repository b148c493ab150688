"""The demo e-diary's file replaced under a running bot (deleted and restored from a copy, or swapped together
with its WAL side files): the provider notices at its next read and reopens, instead of reading the old file
for ever or failing until a restart."""

from __future__ import annotations

import shutil
from datetime import date, datetime
from pathlib import Path

import pytest

from bot.clock import ManualClock
from bot.ediary.demo import DemoProvider, commands
from bot.ediary.demo.school_file import FileIdentity
from bot.ediary.provider import ProviderUnavailable
from tests.demo_school import copy_demo_school

TODAY = date(2026, 11, 25)
SIDE_FILES = ("-wal", "-shm")


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(datetime(2026, 11, 25, 10, 0), "Europe/Moscow")


@pytest.fixture
async def school(tmp_path: Path, clock: ManualClock) -> Path:
    return await copy_demo_school(tmp_path / "demo.sqlite3", clock)


async def add_grade_as_staff(path: Path, clock: ManualClock, student_id: str, value: str) -> str:
    """As `ediary-bot demo add-grade` does it: its own process, its own connection."""
    staff = await DemoProvider.open(path, clock)
    try:
        return (await commands.add_grade(staff, student_id, "Математика", value)).id
    finally:
        await staff.close()


async def grade_ids(provider: DemoProvider) -> set[str]:
    return {g.id for g in await provider.class_grades("5А", TODAY, TODAY)}


async def test_a_deleted_then_restored_file_is_reopened(
    school: Path, clock: ManualClock, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    backup = tmp_path / "backup.sqlite3"
    shutil.copyfile(school, backup)
    provider = await DemoProvider.open(school, clock)
    try:
        before = await grade_ids(provider)
        for suffix in ("", *SIDE_FILES):
            Path(f"{school}{suffix}").unlink(missing_ok=True)
        with pytest.raises(ProviderUnavailable, match="missing"):
            await provider.class_grades("5А", TODAY, TODAY)  # not the deleted file's old records
        shutil.copyfile(backup, school)
        entered = await add_grade_as_staff(school, clock, "s01", "5")
        assert await grade_ids(provider) == before | {entered}
        assert FileIdentity.at(school) == provider.file.identity
        assert "file on disk was replaced" in caplog.text
    finally:
        await provider.close()


async def test_a_file_replaced_with_its_side_files_is_reopened(
    school: Path, clock: ManualClock, tmp_path: Path
) -> None:
    provider = await DemoProvider.open(school, clock)
    try:
        before = await grade_ids(provider)
        elsewhere = await copy_demo_school(tmp_path / "elsewhere" / "demo.sqlite3", clock)
        other = await DemoProvider.open(elsewhere, clock)  # open: its last changes are still in its WAL
        try:
            entered = (await commands.add_grade(other, "s02", "Математика", "4")).id
            for suffix in ("", *SIDE_FILES):
                shutil.copyfile(f"{elsewhere}{suffix}", tmp_path / f"swap{suffix}")
        finally:
            await other.close()
        for suffix in ("", *SIDE_FILES):
            (tmp_path / f"swap{suffix}").replace(f"{school}{suffix}")
        assert await grade_ids(provider) == before | {entered}  # not blind to the new file
        later = await add_grade_as_staff(school, clock, "s01", "3")
        assert await grade_ids(provider) == before | {entered, later}
        assert FileIdentity.at(school) == provider.file.identity  # closing the old one took no side file away
    finally:
        await provider.close()


async def test_a_file_left_alone_is_not_reopened(school: Path, clock: ManualClock) -> None:
    provider = await DemoProvider.open(school, clock)
    try:
        connection = provider.conn
        await add_grade_as_staff(school, clock, "s01", "5")  # another process opens and closes it
        await provider.class_grades("5А", TODAY, TODAY)
        assert provider.conn is connection
    finally:
        await provider.close()
