"""What handlers/homework.py calls: whose homework this account may see (bot.access), re-checked on every press;
the child a parent of several chose last (storage/view_choices.py, as the timetable remembers its choice); the
homework due from tomorrow to the end of the week, read with the student's schedule through the app's short
cache (bot.ediary.reads: a class's, or the student's own where the e-diary reads no classes); and the ticks
(storage/homework_ticks.py), which only the student themself may set, on homework they have to do now."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, timedelta

from bot.access import chosen_student, family_students
from bot.context import AppContext
from bot.ediary.model import Homework, Role, Student
from bot.ediary.provider import ProviderError, read_deadline
from bot.ediary.reads import schedule_of
from bot.homework import screens
from bot.homework.callbacks import HomeworkViewCb
from bot.ui import Screen
from storage import homework_ticks as ticks_repo
from storage import links as links_repo
from storage import view_choices

log = logging.getLogger(__name__)

VIEW = "homework"  # this screen's name in view_choices


@dataclass(frozen=True, slots=True)
class HomeworkView:
    student: Student
    children: tuple[Student, ...]  # the account's children when it has several (the switch), else ()
    days: tuple[tuple[date, tuple[Homework, ...]], ...]  # by due date, each day's by subject
    ticked: frozenset[str]  # ids of the homework this student ticked as done
    own: bool  # the account is this student: it may tick
    start: date  # tomorrow
    end: date
    today: date


@dataclass(frozen=True, slots=True)
class Ticked:
    screen: Screen
    done: bool | None  # the assignment is ticked now (True) or not (False); None: the e-diary did not answer


def window(today: date) -> tuple[date, date]:
    """Tomorrow to the week's Sunday; from Friday on, to the next Sunday (the coming school week)."""
    sunday = today + timedelta(days=6 - today.weekday())
    return today + timedelta(days=1), sunday + timedelta(days=7) if today.weekday() >= 4 else sunday


async def open_homework(ctx: AppContext, user_id: int) -> Screen:
    """/homework: the child chosen last (or the only one), else the choice."""
    screen = await _screen(ctx, user_id, "")
    if screen is None:  # only a button can name a child that is not there
        raise RuntimeError("the opening screen cannot be stale")
    return screen


async def homework_pressed(ctx: AppContext, user_id: int, student_id: str) -> Screen | None:
    """A child's button; None when it names a child this account may not see."""
    return await _screen(ctx, user_id, student_id)


async def tick_pressed(ctx: AppContext, user_id: int, homework_id: str) -> Ticked | None:
    """Tick or untick one assignment of the account's own; None when it is not among the homework they have to do
    now (a forged or outdated button, or an account that is not that student)."""
    db = ctx.database
    try:
        async with read_deadline():
            for link in await links_repo.links_of_user(db, user_id):
                student = await ctx.reader.get_student(link.person_id) if link.role == Role.STUDENT else None
                if student is None:
                    continue
                view = await _student_view(ctx, user_id, student, ())
                found = next((h for _, day in view.days for h in day if h.id == homework_id), None)
                if found is not None:
                    done = found.id not in view.ticked
                    if done:
                        await ticks_repo.tick(db, student.id, found.id, user_id, found.due, ctx.clock.now())
                    else:
                        await ticks_repo.untick(db, student.id, found.id)
                    children = await family_students(db, ctx.reader, user_id)
                    view = await _student_view(ctx, user_id, student, tuple(children) if len(children) > 1 else ())
                    return Ticked(screens.homework_screen(view), done)
    except ProviderError as exc:
        log.warning("homework: e-diary unavailable for user %s (%s)", user_id, type(exc).__name__)
        return Ticked(screens.outage(HomeworkViewCb(student="").pack()), None)
    return None


async def forget_homework_data(ctx: AppContext, user_id: int) -> None:
    """/forget: the ticks this account made and the child it chose last."""
    await ticks_repo.forget_user(ctx.database, user_id)
    await view_choices.forget(ctx.database, user_id, VIEW)


async def _screen(ctx: AppContext, user_id: int, student_id: str) -> Screen | None:
    try:
        async with read_deadline():
            children = tuple(await family_students(ctx.database, ctx.reader, user_id))
            if not children:
                return screens.not_family()
            student = await chosen_student(ctx.database, user_id, VIEW, children, student_id)
            if student is None:
                return None if student_id else screens.choice_screen(children)
            view = await _student_view(ctx, user_id, student, children if len(children) > 1 else ())
    except ProviderError as exc:
        log.warning("homework: e-diary unavailable for user %s (%s)", user_id, type(exc).__name__)
        return screens.outage(HomeworkViewCb(student=student_id).pack())
    return screens.homework_screen(view)


async def _student_view(ctx: AppContext, user_id: int, student: Student, children: tuple[Student, ...]) -> HomeworkView:
    today = ctx.clock.today()
    start, end = window(today)
    schedule = await schedule_of(ctx.reader, student, start, end)
    by_day: dict[date, list[Homework]] = {}
    for homework in sorted(schedule.homework, key=lambda h: (h.due, h.subject, h.id)):
        if start <= homework.due <= end:
            by_day.setdefault(homework.due, []).append(homework)
    ticked = frozenset(h for s, h in await ticks_repo.ticked(ctx.database, [student.id]) if s == student.id)
    links = await links_repo.links_of_user(ctx.database, user_id)
    own = any(link.role == Role.STUDENT and link.person_id == student.id for link in links)
    days = tuple((day, tuple(items)) for day, items in sorted(by_day.items()))
    return HomeworkView(student, children, days, ticked, own, start, end, today)
