"""The demo school is built once per test session and day, then copied for each test that needs one.

Building it takes a moment that adds up over hundreds of tests (and, on a busy machine, over a real bot
process's start-up); a copy of the same deterministic file is what every test would build anyway."""

from __future__ import annotations

import shutil
import tempfile
from datetime import date
from pathlib import Path

from bot.clock import Clock
from bot.ediary.demo import DemoProvider

_templates: dict[date, Path] = {}
_folder = tempfile.TemporaryDirectory(prefix="demo-school-")  # removed when the test process ends


async def copy_demo_school(dest: Path, clock: Clock) -> Path:
    """A demo school as DemoProvider.open(dest, clock) would create it on `clock`'s day."""
    day = clock.today()
    template = _templates.get(day)
    if template is None:
        # built under a name of its own, so two tests building at once never see a half-made file
        building = Path(tempfile.mkdtemp(dir=_folder.name)) / "demo.sqlite3"
        provider = await DemoProvider.open(building, clock)
        await provider.close()  # the last connection closes: the file is whole, with no side files
        template = _templates.setdefault(day, building)
    dest.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(template, dest)
    return dest
