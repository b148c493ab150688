"""Builds a day's and a week's timetable (model.py) from the e-diary. A class's day (or week) is ONE
`class_schedule` call: its lessons, homework and marks together. `provider` is expected to read through the
shared cache (bot/ediary/cached.py), so that call is shared by everyone looking at that class and range."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, time, timedelta

from bot.clock import Clock
from bot.ediary.model import ClassSchedule, Grade, Homework, Lesson, LessonStatus, Student, Teacher
from bot.ediary.names import full_names
from bot.ediary.provider import EdiaryProvider
from bot.ediary.reads import schedule_of
from bot.timetable.model import DayTimetable, LessonEntry, Section, Target, WeekTimetable

# How far ahead an empty day looks for the next school day: a weekend, then holidays, then the summer.
NEXT_DAY_WINDOWS = (timedelta(days=14), timedelta(days=63), timedelta(days=120))
WORKDAYS = 5


async def build_day(provider: EdiaryProvider, target: Target, day: date, clock: Clock) -> DayTimetable:
    today = clock.today()
    now = clock.local_now().time() if day == today else None
    sections = []
    for owner in target.owners:
        if isinstance(owner, Teacher):
            sections.append(await _teacher_day(provider, owner, day, now))
        else:
            sections.append(await _student_day(provider, owner, day, now))
    next_day, weeks = None, 0
    if not any(section.lessons for section in sections):
        next_day, weeks = await next_school_day(provider, target, day)
    return DayTimetable(
        day=day,
        today=today,
        sections=tuple(sections),
        names=await _teacher_names(provider, sections),
        substitutions_known=provider.capabilities.substitutions,
        next_school_day=next_day,
        searched_weeks=weeks,
    )


async def build_week(provider: EdiaryProvider, target: Target, monday: date, clock: Clock) -> WeekTimetable:
    sunday = monday + timedelta(days=6)
    by_owner = [(owner, await owner_lessons(provider, owner, monday, sunday)) for owner in target.owners]
    days = [monday + timedelta(days=i) for i in range(7)]
    shown = [
        d for i, d in enumerate(days) if i < WORKDAYS or any(lesson.date == d for _, ls in by_owner for lesson in ls)
    ]
    sections = tuple(
        tuple(
            Section(owner, d, tuple(_entry(owner, lesson) for lesson in lessons if lesson.date == d))
            for owner, lessons in by_owner
        )
        for d in shown
    )
    return WeekTimetable(
        monday=monday,
        today=clock.today(),
        days=tuple(shown),
        sections=sections,
        names=await _teacher_names(provider, [s for day in sections for s in day]),
        substitutions_known=provider.capabilities.substitutions,
    )


async def next_school_day(provider: EdiaryProvider, target: Target, day: date) -> tuple[date | None, int]:
    """The first day after `day` with lessons for anyone in the target, and how many weeks were searched.
    Each window searched costs what owner_lessons does for that range."""
    start = day + timedelta(days=1)
    for window in NEXT_DAY_WINDOWS:
        end = day + window
        found = [lesson.date for owner in target.owners for lesson in await owner_lessons(provider, owner, start, end)]
        if found:
            return min(found), window.days // 7
        start = end + timedelta(days=1)
    return None, NEXT_DAY_WINDOWS[-1].days // 7


async def owner_lessons(provider: EdiaryProvider, owner: Student | Teacher, start: date, end: date) -> list[Lesson]:
    """A class's lessons (one class_schedule call); for a teacher, see _teacher_lessons."""
    if isinstance(owner, Student):
        return sorted((await schedule_of(provider, owner, start, end)).lessons, key=_order)
    lessons, _ = await _teacher_lessons(provider, owner, start, end)
    return lessons


async def _teacher_lessons(
    provider: EdiaryProvider, teacher: Teacher, start: date, end: date
) -> tuple[list[Lesson], dict[str, ClassSchedule]]:
    """The lessons a teacher gives (covers included) plus their own lessons handed to a substitute (from
    their classes' schedules), each slot once, in order; and those schedules by class. Costs one
    teacher_lessons call plus one class_schedule call per class they teach (each shared through the cache
    with that class's families)."""
    lessons = {lesson.key: lesson for lesson in await provider.teacher_lessons(teacher.id, start, end)}
    schedules: dict[str, ClassSchedule] = {}
    for class_name in teacher.classes:
        schedules[class_name] = await provider.class_schedule(class_name, start, end)
        for lesson in schedules[class_name].lessons:
            if lesson.original_teacher_id == teacher.id and lesson.teacher_id != teacher.id:
                lessons.setdefault(lesson.key, lesson)
    return sorted(lessons.values(), key=_order), schedules


async def _student_day(provider: EdiaryProvider, student: Student, day: date, now: time | None) -> Section:
    schedule = await schedule_of(provider, student, day, day)  # a future day simply has no marks
    marks = [g for g in schedule.grades if g.student_id == student.id]
    return _section(student, day, sorted(schedule.lessons, key=_order), list(schedule.homework), marks, now)


async def _teacher_day(provider: EdiaryProvider, teacher: Teacher, day: date, now: time | None) -> Section:
    """Costs what _teacher_lessons does, plus one class_schedule call per class covered as a substitute
    outside their own classes (for the homework due in that lesson)."""
    lessons, schedules = await _teacher_lessons(provider, teacher, day, day)
    taught = {(lesson.class_name, lesson.subject) for lesson in lessons}
    homework = []
    for class_name in dict.fromkeys(lesson.class_name for lesson in lessons):  # only what is due in their own lessons
        if class_name not in schedules:
            schedules[class_name] = await provider.class_schedule(class_name, day, day)
        homework += [h for h in schedules[class_name].homework if (h.class_name, h.subject) in taught]
    return _section(teacher, day, lessons, homework, [], now)


def _section(
    owner: Student | Teacher,
    day: date,
    lessons: list[Lesson],
    homework: list[Homework],
    marks: list[Grade],
    now: time | None,
) -> Section:
    """Homework and marks attached to their lessons; the rest is kept apart, never dropped."""
    homework_at: dict[str, list[Homework]] = {}
    marks_at: dict[str, list[Grade]] = {}
    other_homework, other_marks = [], []
    lesson_ids = {lesson.id for lesson in lessons}
    for item in homework:
        lesson = _first_lesson_of(lessons, item.subject, item.class_name)
        if lesson is None:
            other_homework.append(item)
        else:
            homework_at.setdefault(lesson.id, []).append(item)
    for mark in marks:
        lesson_id = mark.lesson_id if mark.lesson_id in lesson_ids else None
        if lesson_id is None:
            lesson = _first_lesson_of(lessons, mark.subject, None)
            lesson_id = lesson.id if lesson else None
        if lesson_id is None:
            other_marks.append(mark)
        else:
            marks_at.setdefault(lesson_id, []).append(mark)
    entries = tuple(
        _entry(owner, lesson, tuple(homework_at.get(lesson.id, ())), tuple(marks_at.get(lesson.id, ())), now)
        for lesson in lessons
    )
    return Section(owner, day, entries, tuple(other_homework), tuple(other_marks))


def _entry(
    owner: Student | Teacher,
    lesson: Lesson,
    homework: tuple[Homework, ...] = (),
    marks: tuple[Grade, ...] = (),
    now: time | None = None,
) -> LessonEntry:
    covering = handed_over = False
    if isinstance(owner, Teacher):
        covering = lesson.teacher_id == owner.id and lesson.original_teacher_id not in (None, owner.id)
        handed_over = lesson.original_teacher_id == owner.id and lesson.teacher_id != owner.id
    in_progress = (
        now is not None
        and lesson.start <= now < lesson.end
        and not handed_over
        and lesson.status != LessonStatus.CANCELLED
    )
    return LessonEntry(lesson, homework, marks, covering=covering, handed_over=handed_over, in_progress=in_progress)


def _first_lesson_of(lessons: list[Lesson], subject: str, class_name: str | None) -> Lesson | None:
    """The lesson a subject's homework or mark belongs to: the first one held that day. None when every lesson
    of the subject is cancelled (or there is none): it is listed under the day, not under a lesson not held."""
    return next(
        (
            lesson
            for lesson in lessons
            if lesson.subject == subject
            and class_name in (None, lesson.class_name)
            and lesson.status != LessonStatus.CANCELLED
        ),
        None,
    )


async def _teacher_names(provider: EdiaryProvider, sections: Iterable[Section]) -> dict[str, str]:
    return await full_names(
        provider,
        (
            tid
            for section in sections
            for entry in section.lessons
            for tid in (entry.lesson.teacher_id, entry.lesson.original_teacher_id, *(m.teacher_id for m in entry.marks))
        ),
    )


def _order(lesson: Lesson) -> tuple[date, int, str]:
    return lesson.date, lesson.number, lesson.class_name
