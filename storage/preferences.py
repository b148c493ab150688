"""Per-user alert settings, and when a message may be delivered given the user's quiet hours."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, time, timedelta, tzinfo
from typing import TypedDict, Unpack

from aiosqlite import Row

from storage.db import Database

COLUMNS = (
    "alert_grades",
    "alert_homework",
    "alert_timetable",
    "alert_messages",
    "alert_attendance",
    "quiet_start",
    "quiet_end",
    "reminder_time",
    "digest_mode",
    "digest_time",
)


@dataclass(frozen=True, slots=True)
class Preferences:
    alert_grades: bool = True
    alert_homework: bool | None = None  # None: the role's default (students on, parents off)
    alert_timetable: bool = True
    alert_messages: bool = True
    alert_attendance: bool | None = None  # None: the role's default (parents on, students off)
    quiet_start: time = time(22, 0)
    quiet_end: time = time(7, 0)
    reminder_time: time = time(18, 0)
    digest_mode: bool = False
    digest_time: time = time(19, 0)

    def homework_alerts(self, *, is_student: bool) -> bool:
        return is_student if self.alert_homework is None else self.alert_homework

    def attendance_alerts(self, *, is_student: bool) -> bool:
        return not is_student if self.alert_attendance is None else self.alert_attendance

    def in_quiet_hours(self, local: time) -> bool:
        start, end = self.quiet_start, self.quiet_end
        if start == end:
            return False
        if start < end:
            return start <= local < end
        return local >= start or local < end  # across midnight, e.g. 22:00–07:00

    def deliver_after(self, now: datetime, tz: tzinfo) -> datetime:
        """`now` outside quiet hours, else the moment they end (aware, in `now`'s zone)."""
        local = now.astimezone(tz)
        if not self.in_quiet_hours(local.time().replace(tzinfo=None)):
            return now
        end = datetime.combine(local.date(), self.quiet_end, tzinfo=tz)
        if end <= local:
            end = datetime.combine(local.date() + timedelta(days=1), self.quiet_end, tzinfo=tz)
        return end.astimezone(now.tzinfo)


def parse_row(row: Row) -> Preferences:
    """A preferences row (COLUMNS by name) as Preferences."""
    homework, attendance = row["alert_homework"], row["alert_attendance"]
    return Preferences(
        alert_grades=bool(row["alert_grades"]),
        alert_homework=None if homework is None else bool(homework),
        alert_timetable=bool(row["alert_timetable"]),
        alert_messages=bool(row["alert_messages"]),
        alert_attendance=None if attendance is None else bool(attendance),
        quiet_start=time.fromisoformat(row["quiet_start"]),
        quiet_end=time.fromisoformat(row["quiet_end"]),
        reminder_time=time.fromisoformat(row["reminder_time"]),
        digest_mode=bool(row["digest_mode"]),
        digest_time=time.fromisoformat(row["digest_time"]),
    )


async def get_preferences(db: Database, user_id: int) -> Preferences:
    row = await db.fetchone(f"SELECT {', '.join(COLUMNS)} FROM preferences WHERE user_id = ?", (user_id,))
    return Preferences() if row is None else parse_row(row)


async def earliest_reminder_time(db: Database) -> time:
    """The earliest reminder time anyone has (the default's for those who never changed it)."""
    earliest = await db.fetchval("SELECT MIN(reminder_time) FROM preferences")
    default = Preferences().reminder_time
    return default if earliest is None else min(default, time.fromisoformat(earliest))


async def save_preferences(db: Database, user_id: int, prefs: Preferences) -> None:
    values = []
    for name in COLUMNS:
        value = getattr(prefs, name)
        values.append(value.strftime("%H:%M") if isinstance(value, time) else (None if value is None else int(value)))
    placeholders = ", ".join("?" * len(COLUMNS))
    updates = ", ".join(f"{c} = excluded.{c}" for c in COLUMNS)
    await db.execute(
        f"INSERT INTO preferences (user_id, {', '.join(COLUMNS)}) VALUES (?, {placeholders})"
        f" ON CONFLICT (user_id) DO UPDATE SET {updates}",
        (user_id, *values),
    )


class PreferenceChanges(TypedDict, total=False):
    """Any of Preferences' fields, by name."""

    alert_grades: bool
    alert_homework: bool | None
    alert_timetable: bool
    alert_messages: bool
    alert_attendance: bool | None
    quiet_start: time
    quiet_end: time
    reminder_time: time
    digest_mode: bool
    digest_time: time


async def update_preferences(db: Database, user_id: int, **changes: Unpack[PreferenceChanges]) -> Preferences:
    prefs = replace(await get_preferences(db, user_id), **changes)
    await save_preferences(db, user_id, prefs)
    return prefs
