"""Shared by the progress and report tests: the demo school (a copy) behind a switch, and the bot running on it
with the school's settings a test module chooses (override `school_settings`, and conftest's `per_student`
for a family's token). Names of their own: conftest's and grades_fixtures' stay as they are."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.clock import ManualClock
from bot.config import Settings
from tests.conftest import App, make_settings, running_app
from tests.demo_school import copy_demo_school
from tests.grades_fixtures import SwitchableDemo


@pytest.fixture
def school_settings() -> dict[str, object]:
    """Settings a test module overrides (e.g. {"class_comparison": False})."""
    return {}


@pytest.fixture
def school_config(tmp_path: Path, school_settings: dict[str, object]) -> Settings:
    return make_settings(tmp_path, **school_settings)


@pytest.fixture
async def school(school_config: Settings, clock: ManualClock, per_student: bool) -> AsyncIterator[SwitchableDemo]:
    await copy_demo_school(school_config.demo_database_path, clock)
    provider = await SwitchableDemo.open(school_config.demo_database_path, clock, per_student=per_student)
    provider.without_marks = set()
    yield provider
    await provider.close()


@pytest.fixture
async def school_app(school_config: Settings, clock: ManualClock, school: SwitchableDemo) -> AsyncIterator[App]:
    async with running_app(school_config, clock, school) as started:
        yield started
