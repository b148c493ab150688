"""Per-user alert settings, and when a message may be delivered given the user's quiet hours."""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from datetime import datetime, time, timedelta, tzinfo

from storage.db import Database

_COLUMNS = (
    "alert_grades",
    "alert_homework",
    "alert_timetable",
    "alert_messages",
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
    quiet_start: time = time(22, 0)
    quiet_end: time = time(7, 0)
    reminder_time: time = time(18, 0)
    digest_mode: bool = False
    digest_time: time = time(19, 0)

    def homework_alerts(self, *, is_student: bool) -> bool:
        return is_student if self.alert_homework is None else self.alert_homework

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


def _parse(row) -> Preferences:
    values = {}
    for f in fields(Preferences):
        raw = row[f.name]
        if f.name.endswith(("_start", "_end", "_time")):
            values[f.name] = time.fromisoformat(raw)
        elif raw is None:
            values[f.name] = None
        else:
            values[f.name] = bool(raw)
    return Preferences(**values)


async def get_preferences(db: Database, user_id: int) -> Preferences:
    row = await db.fetchone(f"SELECT {', '.join(_COLUMNS)} FROM preferences WHERE user_id = ?", (user_id,))
    return Preferences() if row is None else _parse(row)


async def save_preferences(db: Database, user_id: int, prefs: Preferences) -> None:
    values = []
    for name in _COLUMNS:
        value = getattr(prefs, name)
        values.append(value.strftime("%H:%M") if isinstance(value, time) else (None if value is None else int(value)))
    placeholders = ", ".join("?" * len(_COLUMNS))
    updates = ", ".join(f"{c} = excluded.{c}" for c in _COLUMNS)
    await db.execute(
        f"INSERT INTO preferences (user_id, {', '.join(_COLUMNS)}) VALUES (?, {placeholders})"
        f" ON CONFLICT (user_id) DO UPDATE SET {updates}",
        (user_id, *values),
    )


async def update_preferences(db: Database, user_id: int, **changes: object) -> Preferences:
    prefs = replace(await get_preferences(db, user_id), **changes)
    await save_preferences(db, user_id, prefs)
    return prefs
