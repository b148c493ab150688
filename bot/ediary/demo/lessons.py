"""Lessons of a date = the weekly template + that date's overrides (substitutions, rooms, cancellations)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from bot.ediary.demo.directory import Directory
from bot.ediary.demo.school_calendar import BELLS, is_school_day
from bot.ediary.model import Lesson, LessonStatus

OVERRIDE_COLUMNS = "class_id, date, number, subject_id, teacher_id, room, cancelled, added, reason"


@dataclass(frozen=True, slots=True)
class Override:
    class_id: str
    date: date
    number: int
    subject_id: str | None = None
    teacher_id: str | None = None  # substitute (or the teacher of an added lesson)
    room: str | None = None
    cancelled: bool = False
    added: bool = False
    reason: str | None = None

    @classmethod
    def from_row(cls, row: tuple) -> Override:
        c, d, n, subject, teacher, room, cancelled, added, reason = row
        return cls(c, date.fromisoformat(d), n, subject, teacher, room, bool(cancelled), bool(added), reason)

    def row(self) -> tuple:
        return (
            self.class_id,
            self.date.isoformat(),
            self.number,
            self.subject_id,
            self.teacher_id,
            self.room,
            int(self.cancelled),
            int(self.added),
            self.reason,
        )


OverrideMap = dict[tuple[str, date], dict[int, Override]]  # (class id, date) -> number -> override


def index_overrides(overrides: list[Override]) -> OverrideMap:
    result: OverrideMap = {}
    for o in overrides:
        result.setdefault((o.class_id, o.date), {})[o.number] = o
    return result


def lesson_id(class_id: str, day: date, number: int) -> str:
    return f"l{day:%Y%m%d}-{class_id}-{number}"


def lessons_for_day(d: Directory, class_id: str, day: date, overrides: dict[int, Override]) -> list[Lesson]:
    if not is_school_day(day):
        return []
    lessons = []
    template = d.template.get((class_id, day.weekday()), [])
    for slot in template:
        base = {"subject": d.subjects[slot.subject_id], "room": slot.room, "teacher_id": slot.teacher_id}
        o = overrides.get(slot.number)
        if o is None:
            lessons.append(_lesson(d, class_id, day, slot.number, **base))
        elif o.cancelled:
            lessons.append(
                _lesson(d, class_id, day, slot.number, **base, status=LessonStatus.CANCELLED, reason=o.reason)
            )
        else:
            teacher = o.teacher_id or slot.teacher_id
            room = o.room or slot.room
            substituted = teacher != slot.teacher_id
            moved = room != slot.room
            status = (
                LessonStatus.SUBSTITUTED if substituted else LessonStatus.ROOM_CHANGED if moved else LessonStatus.NORMAL
            )
            lessons.append(
                _lesson(
                    d,
                    class_id,
                    day,
                    slot.number,
                    subject=base["subject"],
                    room=room,
                    teacher_id=teacher,
                    status=status,
                    original_teacher_id=slot.teacher_id if substituted else None,
                    original_room=slot.room if moved else None,
                    reason=o.reason if status != LessonStatus.NORMAL else None,
                )
            )
    taken = {slot.number for slot in template}
    for number, o in overrides.items():
        if o.added and number not in taken and number in BELLS and o.subject_id in d.subjects:
            status = LessonStatus.CANCELLED if o.cancelled else LessonStatus.ADDED
            lessons.append(
                _lesson(
                    d,
                    class_id,
                    day,
                    number,
                    subject=d.subjects[o.subject_id],
                    room=o.room,
                    teacher_id=o.teacher_id,
                    status=status,
                    reason=o.reason,
                )
            )
    return sorted(lessons, key=lambda lesson: lesson.number)


def _lesson(d: Directory, class_id: str, day: date, number: int, **fields) -> Lesson:
    start, end = BELLS[number]
    return Lesson(
        id=lesson_id(class_id, day, number),
        date=day,
        number=number,
        start=start,
        end=end,
        class_name=d.class_name(class_id),
        **fields,
    )
