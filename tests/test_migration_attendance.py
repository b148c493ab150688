"""Migration 0010 on a database in use: what the poller saw, whose first sync is done, the summaries waiting and
the settings survive; attendance gets kinds and baselines of its own; 0011 adds the homework ticks."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest

from storage import alerts as alerts_repo
from storage import preferences as prefs_repo
from storage import seen as seen_repo
from storage.db import Database
from storage.migrations import MIGRATIONS_DIR, apply_migrations, load_migrations
from storage.seen import SeenRecord

NOW = datetime(2026, 11, 25, 7, 0, tzinfo=UTC)


async def test_data_of_version_9_survives_and_attendance_gets_its_own_kinds(tmp_path: Path) -> None:
    before = tmp_path / "migrations"
    before.mkdir()
    for path in sorted(MIGRATIONS_DIR.glob("*.sql")):
        if int(path.name[:4]) <= 9:
            shutil.copy(path, before / path.name)
    db = await Database.open(tmp_path / "bot.sqlite3", migrate=False)
    try:
        await apply_migrations(db, before)
        await db.execute("INSERT INTO users (user_id, created_at, last_seen_at) VALUES (7, 'x', 'x')")
        await db.execute("INSERT INTO preferences (user_id, alert_grades) VALUES (7, 0)")
        await seen_repo.store(db, "5А", "grade", [SeenRecord("g1", "f", {"value": "5"}, "s01", 2)], [], NOW)
        await db.execute(  # as version 9 wrote them: no kind
            "INSERT INTO alert_baselines (class_name, student_id, synced_at) VALUES ('5А', '', 'x'), ('5А', 's01', 'x')"
        )
        await alerts_repo.add_digest_item(db, 7, "grades", {"student_id": "s01"}, NOW)

        assert await apply_migrations(db) == [m.version for m in load_migrations() if m.version > 9]

        [record] = await seen_repo.load(db, "5А", "grade")
        assert (record.key, record.revision, record.student_id) == ("g1", 2, "s01")
        assert await seen_repo.baselined(db, "5А") == {"", "s01"}
        assert await seen_repo.baselined(db, "5А", seen_repo.ATTENDANCE) == set()  # a first sync of its own
        [item] = await alerts_repo.digest_items(db, 7)
        assert (item.kind, item.payload) == ("grades", {"student_id": "s01"})
        prefs = await prefs_repo.get_preferences(db, 7)
        assert prefs.alert_grades is False and prefs.alert_attendance is None
        assert prefs.attendance_alerts(is_student=False) and not prefs.attendance_alerts(is_student=True)

        await seen_repo.store(db, "5А", "attendance", [SeenRecord("a1", "f", {"date": "2026-11-25"}, "s01")], [], NOW)
        await seen_repo.mark_baselined(db, "5А", ["s01"], NOW, seen_repo.ATTENDANCE)
        await alerts_repo.add_digest_item(db, 7, "attendance", {"student_id": "s01", "marks": []}, NOW)
        assert await seen_repo.baselined(db, "5А", seen_repo.ATTENDANCE) == {"s01"}
        await seen_repo.forget_unfollowed(db, {"5А": set()})  # s01 unfollowed: their attendance goes too
        assert await seen_repo.load(db, "5А", "attendance") == []
        assert await seen_repo.baselined(db, "5А", seen_repo.ATTENDANCE) == set()
        with pytest.raises(Exception, match="CHECK"):
            await alerts_repo.add_digest_item(db, 7, "gossip", {}, NOW)
        tables = {r[0] for r in await db.fetchall("SELECT name FROM sqlite_master WHERE type = 'table'")}
        assert "homework_ticks" in tables and not {t for t in tables if t.endswith("_new")}
    finally:
        await db.close()
