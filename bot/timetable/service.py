"""What handlers/timetable.py calls: whose timetable this account may see (its children or itself as a
student, all its children at once, its own lessons as a teacher), re-checked on every press, and the screen
for a day or a week. The e-diary is read through `ctx.reader`, the short cache shared by everyone; an outage
is raised as the provider's ProviderError.

An account with several timetables chooses once: the timetable it looked at last (a child, or all children) is
remembered (storage/view_choices.py) and opens next time, with the others one tap away on the screen. A choice
that is no longer among the account's timetables (a child unlinked) is forgotten when it is next read."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

from bot.access import can_see_student, family_students, linked_teachers
from bot.context import AppContext
from bot.timetable import screens
from bot.timetable.build import build_day, build_week
from bot.timetable.model import Kind, Span, Target
from bot.ui import Screen
from storage import view_choices

VIEW = "timetable"  # this screen's name in view_choices

REACH = timedelta(days=400)  # how far from today a button may lead (anything else is forged)
SPANS = frozenset(span.value for span in Span)


async def today(ctx: AppContext, user_id: int) -> Screen | None:
    """/today: the only timetable this account has, or the choice between several (None: nothing linked)."""
    return await _entry(ctx, user_id, Span.DAY, ctx.clock.today())


async def tomorrow(ctx: AppContext, user_id: int) -> Screen | None:
    return await _entry(ctx, user_id, Span.DAY, ctx.clock.today() + timedelta(days=1))


async def week(ctx: AppContext, user_id: int) -> Screen | None:
    return await _entry(ctx, user_id, Span.WEEK, week_to_open(ctx.clock.today()))


async def day_pressed(ctx: AppContext, user_id: int, kind: str, person: str, day: date | None) -> Screen | None:
    """A day button; None when it names a day out of reach or someone this account may no longer see."""
    if day is None or not _within_reach(ctx, day):
        return None
    return await _pressed(ctx, user_id, Span.DAY, kind, person, day)


async def week_pressed(ctx: AppContext, user_id: int, kind: str, person: str, monday: date | None) -> Screen | None:
    """A week button; None as for a day, and when `monday` is not a Monday."""
    if monday is None or not _within_reach(ctx, monday) or monday.weekday() != 0:
        return None
    return await _pressed(ctx, user_id, Span.WEEK, kind, person, monday)


async def pick_pressed(ctx: AppContext, user_id: int, span: str, day: date | None) -> Screen | None:
    """ "Whose timetable?" (from a message sent before the choice was on the screen), or the only timetable left;
    None for a forged span or day, or no links."""
    if day is None or not _within_reach(ctx, day) or span not in SPANS:
        return None
    choices = await choices_of(ctx, user_id)
    if len(choices) > 1:
        return screens.choice_screen(choices, Span(span), day, ctx.i18n.current_locale)
    return await _entry(ctx, user_id, Span(span), day)


async def forget_choices(ctx: AppContext, user_id: int) -> None:
    """/forget: the remembered choice goes with the account."""
    await view_choices.forget_user(ctx.database, user_id)


def week_to_open(today: date) -> date:
    """The Monday /week opens: this week's, or the coming one's from Saturday on."""
    monday = today - timedelta(days=today.weekday())
    return monday + timedelta(days=7) if today.weekday() >= 5 else monday


async def choices_of(ctx: AppContext, user_id: int) -> list[Target]:
    """Every timetable this account may open, in menu order."""
    students = tuple(await family_students(ctx.database, ctx.reader, user_id))
    teachers = await linked_teachers(ctx.database, ctx.reader, user_id)
    choices = [Target(Kind.STUDENT, s.id, students=(s,)) for s in students]
    if len(students) > 1:
        choices.append(Target(Kind.FAMILY, "", students=students))
    choices += [Target(Kind.TEACHER, t.id, teacher=t) for t in teachers]
    return choices


async def resolve_target(ctx: AppContext, user_id: int, kind: str, person_id: str) -> Target | None:
    """The target named by a button, if this account may still see it (else None: forged or stale)."""
    db, reader = ctx.database, ctx.reader
    if kind == Kind.STUDENT:
        student = await can_see_student(db, reader, user_id, person_id)
        return None if student is None else Target(Kind.STUDENT, student.id, students=(student,))
    if kind == Kind.TEACHER:
        teacher = next((t for t in await linked_teachers(db, reader, user_id) if t.id == person_id), None)
        return None if teacher is None else Target(Kind.TEACHER, teacher.id, teacher=teacher)
    if kind == Kind.FAMILY and not person_id:
        students = await family_students(db, reader, user_id)
        return Target(Kind.FAMILY, "", students=tuple(students)) if students else None
    return None


async def _entry(ctx: AppContext, user_id: int, span: Span, day: date) -> Screen | None:
    """The only timetable; else the one chosen last, if it is still this account's; else the choice."""
    choices = await choices_of(ctx, user_id)
    if not choices:
        return None
    chosen = await _remembered(ctx, user_id, choices)  # read even with one choice: forgets an outdated one
    if len(choices) == 1:
        return await _timetable_screen(ctx, span, choices[0], day, ())
    if chosen is None:
        return screens.choice_screen(choices, span, day, ctx.i18n.current_locale)
    return await _timetable_screen(ctx, span, chosen, day, choices)


async def _pressed(ctx: AppContext, user_id: int, span: Span, kind: str, person: str, day: date) -> Screen | None:
    choices = await choices_of(ctx, user_id)
    target = next((c for c in choices if c.kind == kind and c.person_id == person), None)
    if target is not None and len(choices) > 1:
        await view_choices.remember(ctx.database, user_id, VIEW, _choice(target))
    elif target is None:  # not one of the account's own timetables: a teacher's pupil, or all of a single child
        target = await resolve_target(ctx, user_id, kind, person)
        if target is None:
            return None
    return await _timetable_screen(ctx, span, target, day, choices if len(choices) > 1 else ())


async def _remembered(ctx: AppContext, user_id: int, choices: list[Target]) -> Target | None:
    """The timetable chosen last, when it is still among `choices`; a choice that is not is forgotten."""
    stored = await view_choices.chosen(ctx.database, user_id, VIEW)
    if stored is None:
        return None
    chosen = next((c for c in choices if _choice(c) == stored), None)
    if chosen is None:
        await view_choices.forget(ctx.database, user_id, VIEW)
    return chosen


def _choice(target: Target) -> str:
    """A target as view_choices stores it."""
    return f"{target.kind.value}:{target.person_id}"


async def _timetable_screen(
    ctx: AppContext, span: Span, target: Target, day: date, choices: Sequence[Target]
) -> Screen:
    """The day or week of `target`; `choices` (when there are several) become the switch on the screen."""
    locale = ctx.i18n.current_locale
    if span == Span.WEEK:
        week_timetable = await build_week(ctx.reader, target, day, ctx.clock)
        return screens.week_screen(target, week_timetable, locale, tuple(choices))
    day_timetable = await build_day(ctx.reader, target, day, ctx.clock)
    return screens.day_screen(target, day_timetable, locale, tuple(choices))


def _within_reach(ctx: AppContext, day: date) -> bool:
    return abs(day - ctx.clock.today()) <= REACH
