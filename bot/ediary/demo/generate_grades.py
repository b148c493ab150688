"""Generated grades: a pure function of (student, date) and that date's lessons, so a top-up on a later
day produces exactly what a fresh seed would have for those dates."""

from __future__ import annotations

import random
from datetime import date
from functools import lru_cache

from bot.ediary.demo.directory import Directory
from bot.ediary.demo.lessons import OverrideMap, lessons_for_day
from bot.ediary.demo.school_calendar import school_days
from bot.ediary.model import LessonStatus

INDIVIDUAL_CHANCE = 0.2  # a student is graded in about one lesson in five
# Class-wide works (every student gets a mark): chance per lesson and the work types.
CLASS_WORK_CHANCE = {
    "math": 0.07,
    "rus": 0.07,
    "lit": 0.05,
    "eng": 0.06,
    "phys": 0.08,
    "inf": 0.08,
    "pe": 0.1,
    "hist": 0.06,
    "geo": 0.06,
    "bio": 0.06,
    "music": 0.0,
}
CLASS_WORKS = {
    "math": ("Контрольная работа", "Самостоятельная работа"),
    "rus": ("Диктант", "Контрольная работа"),
    "lit": ("Сочинение",),
    "eng": ("Контрольная работа",),
    "hist": ("Проверочная работа",),
    "geo": ("Практическая работа",),
    "bio": ("Практическая работа", "Проверочная работа"),
    "phys": ("Лабораторная работа", "Контрольная работа"),
    "inf": ("Практическая работа",),
    "pe": ("Сдача нормативов",),
}
INDIVIDUAL_WORKS = ("Ответ на уроке", "Ответ на уроке", "Домашняя работа", "Самостоятельная работа")
ACTIVITY_WORKS = ("Работа на уроке",)  # physical education and music
LOW_COMMENTS = ("Повторить правило", "Невнимательно, много ошибок", "Не выполнено домашнее задание")
HIGH_COMMENTS = ("Молодец!", "Отличная работа")


@lru_cache(maxsize=256)
def ability(student_id: str) -> float:
    """A student's typical mark, so that strong and weak students look different."""
    return random.Random(f"demo|ability|{student_id}").uniform(3.2, 4.8)


def generate_grades(d: Directory, start: date, end: date, overrides: OverrideMap) -> list[tuple]:
    """Grade rows for the school days in [start, end] (columns as in the grades table, without source)."""
    subject_ids = {name: sid for sid, name in d.subjects.items()}
    students_by_class: dict[str, list[str]] = {}
    for sid, cid in sorted(d.student_class.items()):
        students_by_class.setdefault(cid, []).append(sid)
    rows: list[tuple] = []
    for day in school_days(start, end):
        for class_id, students in students_by_class.items():
            lessons = [
                lesson
                for lesson in lessons_for_day(d, class_id, day, overrides.get((class_id, day), {}))
                if lesson.status != LessonStatus.CANCELLED
            ]
            class_works = {
                lesson.number: _class_work(class_id, day, lesson.number, subject_ids[lesson.subject])
                for lesson in lessons
            }
            for student_id in students:
                rng = random.Random(f"demo|grades|{student_id}|{day.isoformat()}")
                count = 0
                for lesson in lessons:
                    subject_id = subject_ids[lesson.subject]
                    work = class_works[lesson.number]
                    if work is None:
                        if rng.random() >= INDIVIDUAL_CHANCE:
                            continue
                        works = ACTIVITY_WORKS if subject_id in ("pe", "music") else INDIVIDUAL_WORKS
                        work = rng.choice(works)
                    value, comment = _mark(rng, ability(student_id), subject_id, d.work_types[work])
                    count += 1
                    rows.append(
                        (
                            f"g{day:%Y%m%d}-{student_id}-{count}",
                            student_id,
                            class_id,
                            subject_id,
                            value,
                            d.work_types[work],
                            work,
                            day.isoformat(),
                            comment,
                            lesson.teacher_id,
                            lesson.id,
                        )
                    )
    return rows


def _class_work(class_id: str, day: date, number: int, subject_id: str) -> str | None:
    rng = random.Random(f"demo|work|{class_id}|{day.isoformat()}|{number}")
    if rng.random() >= CLASS_WORK_CHANCE.get(subject_id, 0.0):
        return None
    return rng.choice(CLASS_WORKS[subject_id])


def _mark(rng: random.Random, level: float, subject_id: str, weight: float) -> tuple[str, str | None]:
    if rng.random() < 0.03:
        return "н", None  # absent
    if subject_id in ("pe", "music") and rng.random() < 0.15:
        return "зч", None
    value = min(5, max(2, round(rng.gauss(level - (0.3 if weight > 1 else 0.0), 0.75))))
    roll = rng.random()
    suffix = "+" if roll < 0.05 else "-" if roll < 0.1 and value > 2 else ""
    comment = None
    if value <= 3 and rng.random() < 0.12:
        comment = rng.choice(LOW_COMMENTS)
    elif value == 5 and rng.random() < 0.05:
        comment = rng.choice(HIGH_COMMENTS)
    return f"{value}{suffix}", comment
