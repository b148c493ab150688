"""The demo school's events: parent meetings, school and class events, holidays.

Generated events are computed from the calendar (nothing to store or top up): every week a school-wide event
(a holiday-time one in the breaks), every school month one parent meeting and one class
event per class, the breaks and public holidays, 1 September and the last bell. A running bot therefore
always has something in the coming days. Events added by staff (`ediary-bot demo add-event`) live in the
`events` table of the demo file, created on first use, so a demo file made before it still opens.

Ids: generated "ev<YYYYMMDD>-<what>" (e.g. ev20261203-pm-5a), added "em<n>" (the demo's manual counter).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING

import aiosqlite

from bot.ediary.demo.directory import Directory
from bot.ediary.demo.school_calendar import QUARTERS, is_school_day, quarters, school_year_of
from bot.ediary.model import EventAudience, EventKind, SchoolEvent

if TYPE_CHECKING:
    from bot.ediary.demo.provider import DemoProvider

TABLE = """
CREATE TABLE IF NOT EXISTS events (
    id TEXT PRIMARY KEY, title TEXT NOT NULL, kind TEXT NOT NULL,
    start_at TEXT NOT NULL, end_at TEXT,        -- school-local ISO, e.g. 2026-12-03T18:30
    place TEXT, audience TEXT NOT NULL, class_id TEXT, description TEXT, source TEXT NOT NULL DEFAULT 'manual')
"""
INDEX = "CREATE INDEX IF NOT EXISTS events_start ON events (start_at)"
COLUMNS = "id, title, kind, start_at, end_at, place, audience, class_id, description"

EVENT_EPOCH = date(2000, 1, 3)  # weeks are numbered from here, so the rotation never depends on "today"
ALL_DAY = time(0, 0)
LAST_MINUTE = time(23, 59)

# (title, place, start, minutes) rotating week by week
TERM_EVENTS = (
    ("Концерт школьного хора", "Актовый зал", time(15, 0), 60),
    ("Весёлые старты", "Спортзал", time(14, 30), 90),
    ("Ярмарка школьных кружков", "Рекреация 1 этажа", time(14, 0), 120),
    ("Интеллектуальная игра «Что? Где? Когда?»", "Библиотека", time(15, 0), 90),
    ("Субботник: уборка школьного двора", "Школьный двор", time(14, 30), 90),
    ("День открытых дверей", "Актовый зал", time(16, 0), 120),
    ("Шахматный турнир", "Каб. 118", time(15, 0), 120),
    ("Сбор макулатуры", "Школьный двор", time(8, 0), 420),
)
BREAK_EVENTS = (
    ("Открытая библиотека", "Библиотека", time(11, 0), 180),
    ("Спортивная площадка", "Спортзал", time(10, 0), 120),
    ("Кружок робототехники", "Каб. 301", time(12, 0), 90),
)
CLASS_EVENTS = (
    ("Классный час", None, time(13, 30), 45),
    ("Экскурсия в краеведческий музей", "Сбор у входа в школу", time(10, 0), 180),
    ("Поход в театр", "Сбор у входа в школу", time(17, 30), 180),
    ("Классный час: профориентация", None, time(13, 30), 45),
)
MEETING_TOPICS = {
    9: "План на учебный год",
    10: "Итоги первой четверти",
    11: "Успеваемость и посещаемость",
    12: "Итоги второй четверти",
    1: "Планы на второе полугодие",
    2: "Подготовка к контрольным работам",
    3: "Итоги третьей четверти",
    4: "Летний отдых и безопасность",
    5: "Итоги учебного года",
}
PUBLIC_HOLIDAYS = {
    (11, 4): "День народного единства",
    (2, 23): "День защитника Отечества",
    (3, 8): "Международный женский день",
    (5, 1): "Праздник Весны и Труда",
    (5, 9): "День Победы",
}
BREAKS = ("Осенние каникулы", "Зимние каникулы", "Весенние каникулы", "Летние каникулы")


async def ensure_table(conn: aiosqlite.Connection) -> None:
    """Idempotent and lock-free when the table exists (SQLite needs no write lock for that)."""
    await conn.execute(TABLE)
    await conn.execute(INDEX)


async def school_events(conn: aiosqlite.Connection, d: Directory, start: date, end: date) -> list[SchoolEvent]:
    """Generated and added events starting in [start, end], by start time."""
    await ensure_table(conn)
    sql = f"SELECT {COLUMNS} FROM events WHERE start_at >= ? AND start_at < ? ORDER BY start_at, id"
    async with conn.execute(sql, (start.isoformat(), (end + timedelta(days=1)).isoformat())) as cur:
        added = [_from_row(d, tuple(row)) for row in await cur.fetchall()]
    return sorted([*generated_events(d, start, end), *added], key=lambda e: (e.start, e.id))


def generated_events(d: Directory, start: date, end: date) -> list[SchoolEvent]:
    found = [
        *_weekly(start, end),
        *_monthly(d, start, end),
        *_breaks(start, end),
        *_fixed_days(start, end),
    ]
    return sorted((e for e in found if start <= e.start.date() <= end), key=lambda e: (e.start, e.id))


def _weekly(start: date, end: date) -> Iterator[SchoolEvent]:
    """On Wednesdays (Thursday when Wednesday is a public holiday), so no week is without one."""
    monday = start - timedelta(days=start.weekday())
    while monday <= end:
        week = (monday - EVENT_EPOCH).days // 7
        day = monday + timedelta(days=2)
        if not is_school_day(day) and is_school_day(day + timedelta(days=1)):
            day += timedelta(days=1)
        title, place, at, minutes = (
            TERM_EVENTS[week % len(TERM_EVENTS)] if is_school_day(day) else BREAK_EVENTS[week % len(BREAK_EVENTS)]
        )
        begins = datetime.combine(day, at)
        yield SchoolEvent(
            f"ev{day:%Y%m%d}-school",
            title,
            EventKind.SCHOOL_EVENT,
            begins,
            EventAudience.SCHOOL,
            end=begins + timedelta(minutes=minutes),
            place=place,
        )
        monday += timedelta(days=7)


def _monthly(d: Directory, start: date, end: date) -> Iterator[SchoolEvent]:
    """Class number i (in diary order) meets its parents on the month's (i+1)-th Thursday at 18:30 and has its
    class event on the (i+1)-th Friday; on a day without school, a week later (skipped when the month ends)."""
    month = date(start.year, start.month, 1)
    while month <= end:
        for index, (class_id, (class_name, homeroom)) in enumerate(d.classes.items()):
            meeting = _school_weekday(month, 3, index + 1)
            if meeting is not None:
                begins = datetime.combine(meeting, time(18, 30))
                room = d.teacher_room.get(homeroom)
                yield SchoolEvent(
                    f"ev{meeting:%Y%m%d}-pm-{class_id}",
                    "Родительское собрание",
                    EventKind.PARENT_MEETING,
                    begins,
                    EventAudience.CLASS_PARENTS,
                    class_name=class_name,
                    end=begins + timedelta(hours=1),
                    place=f"Каб. {room}" if room else None,
                    description=MEETING_TOPICS.get(month.month),
                )
            outing = _school_weekday(month, 4, index + 1)
            if outing is not None:
                title, place, at, minutes = CLASS_EVENTS[(month.month + index) % len(CLASS_EVENTS)]
                begins = datetime.combine(outing, at)
                room = d.teacher_room.get(homeroom)
                yield SchoolEvent(
                    f"ev{outing:%Y%m%d}-class-{class_id}",
                    title,
                    EventKind.SCHOOL_EVENT,
                    begins,
                    EventAudience.CLASS,
                    class_name=class_name,
                    end=begins + timedelta(minutes=minutes),
                    place=place or (f"Каб. {room}" if room else None),
                )
        month = date(month.year + month.month // 12, month.month % 12 + 1, 1)


def _school_weekday(month: date, weekday: int, n: int) -> date | None:
    """The month's n-th Monday (0) ... Sunday (6), or the first school day of that weekday after it in the
    month; None when there is none."""
    day = month + timedelta(days=(weekday - month.weekday()) % 7 + 7 * (n - 1))
    while day.month == month.month:
        if is_school_day(day):
            return day
        day += timedelta(days=7)
    return None


def _breaks(start: date, end: date) -> Iterator[SchoolEvent]:
    """The breaks between the quarters and the summer, each an all-day event over its days."""
    for year in range(school_year_of(start) - 1, school_year_of(end) + 1):
        terms = quarters(year)
        following = [*(q.start for q in terms[1:]), date(year + 1, QUARTERS[0][0], QUARTERS[0][1])]
        for name, term, next_start in zip(BREAKS, terms, following, strict=True):
            first, last = term.end + timedelta(days=1), next_start - timedelta(days=1)
            yield SchoolEvent(
                f"ev{first:%Y%m%d}-break",
                name,
                EventKind.HOLIDAY,
                datetime.combine(first, ALL_DAY),
                EventAudience.SCHOOL,
                end=datetime.combine(last, LAST_MINUTE),
            )


def _fixed_days(start: date, end: date) -> Iterator[SchoolEvent]:
    for year in range(start.year, end.year + 1):
        for (month, day), title in PUBLIC_HOLIDAYS.items():
            holiday = date(year, month, day)
            yield SchoolEvent(
                f"ev{holiday:%Y%m%d}-holiday",
                title,
                EventKind.HOLIDAY,
                datetime.combine(holiday, ALL_DAY),
                EventAudience.SCHOOL,
            )
        first_bell = datetime(year, 9, 1, 9, 0)
        yield SchoolEvent(
            f"ev{first_bell:%Y%m%d}-first-bell",
            "Торжественная линейка: День знаний",
            EventKind.SCHOOL_EVENT,
            first_bell,
            EventAudience.SCHOOL,
            end=first_bell + timedelta(hours=1),
            place="Школьный двор",
        )
        last_bell = datetime(year, 5, 25, 10, 0)
        yield SchoolEvent(
            f"ev{last_bell:%Y%m%d}-last-bell",
            "Последний звонок",
            EventKind.SCHOOL_EVENT,
            last_bell,
            EventAudience.SCHOOL,
            end=last_bell + timedelta(hours=1, minutes=30),
            place="Актовый зал",
        )


# --- added by staff --------------------------------------------------------------------------------


async def add_event(
    p: DemoProvider,
    *,
    title: str,
    day: date,
    at: time | None,
    until: time | None = None,
    kind: EventKind,
    audience: EventAudience,
    class_name: str | None = None,
    place: str | None = None,
    description: str | None = None,
) -> SchoolEvent:
    """One event from `ediary-bot demo add-event`; `at` None: all day."""
    from bot.ediary.demo.commands import DemoCommandError  # here: commands imports the provider, which imports us

    title = title.strip()
    if not title:
        raise DemoCommandError("the event's title is empty")
    class_id = None
    if audience == EventAudience.SCHOOL:
        if class_name is not None:
            raise DemoCommandError("a school-wide event names no class (leave out --class)")
    else:
        class_id = p.directory.class_id(class_name or "")
        if class_id is None:
            known = ", ".join(n for n, _ in p.directory.classes.values())
            raise DemoCommandError(f"unknown class {class_name!r} (classes: {known})")
    if until is not None and (at is None or until <= at):
        raise DemoCommandError("the end must come after the start time on the same day")
    begins = datetime.combine(day, at or ALL_DAY)
    ends = datetime.combine(day, until) if until is not None else None
    await ensure_table(p.conn)
    async with p.write() as conn:
        row = (
            f"em{await _next_manual_id(conn)}",
            title,
            kind.value,
            begins.isoformat(timespec="minutes"),
            ends.isoformat(timespec="minutes") if ends else None,
            _blank_to_none(place),
            audience.value,
            class_id,
            _blank_to_none(description),
        )
        await conn.execute(f"INSERT INTO events ({COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", row)
    return _from_row(p.directory, row)


def _blank_to_none(text: str | None) -> str | None:
    return text.strip() if text and text.strip() else None


def _from_row(d: Directory, row: tuple) -> SchoolEvent:
    event_id, title, kind, start_at, end_at, place, audience, class_id, description = row
    return SchoolEvent(
        event_id,
        title,
        EventKind(kind),
        datetime.fromisoformat(start_at),
        EventAudience(audience),
        class_name=d.class_name(class_id) if class_id in d.classes else None,
        end=datetime.fromisoformat(end_at) if end_at else None,
        place=place,
        description=description,
    )


async def _next_manual_id(conn: aiosqlite.Connection) -> int:
    """The demo's one counter of added records (shared with grades and homework), inside the write."""
    async with conn.execute("SELECT value FROM meta WHERE key = 'next_manual_id'") as cur:
        row = await cur.fetchone()
    number = int(row[0]) if row is not None else 1
    await conn.execute(
        "INSERT INTO meta (key, value) VALUES ('next_manual_id', ?) "
        "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        (str(number + 1),),
    )
    return number
