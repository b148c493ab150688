"""The /progress screens (HTML) in the reader's language: the child chooser, a child's progress in a period,
a chart's caption and buttons, and what is said instead (not linked, the e-diary not answering, a stale button)."""

from __future__ import annotations

from collections.abc import Collection
from decimal import Decimal

from aiogram import html
from aiogram.types import InlineKeyboardMarkup

from bot.ediary.model import Role, Student
from bot.gradebook.analysis import MIN_MARKS_FOR_TREND, TREND_STEP, SubjectProgress
from bot.gradebook.loader import Comparison, ProgressView
from bot.gradebook.periods import WHOLE_YEAR, short_key
from bot.gradebook.wording import (
    child_label,
    number,
    period_name,
    quarter_phrase,
    selection_label,
    steps_phrase,
    trend_phrase,
)
from bot.progress.callbacks import ProgressChartCb, ProgressChartViewCb, ProgressHomeCb, ProgressListCb
from bot.ui import Screen, Translator, outage_screen
from bot.ui.keyboard import Keyboard

PERIODS_PER_ROW = 2
SUBJECTS_PER_ROW = 2


def choose_child(t: Translator, students: list[Student]) -> Screen:
    kb = Keyboard()
    for student in students:
        kb.button(text=child_label(student), callback_data=ProgressListCb(student=student.id))
    kb.adjust(1)
    return Screen(t.gettext("📈 Whose progress would you like to see?"), kb.as_markup())


def progress(t: Translator, view: ProgressView, thresholds: tuple[Decimal, ...], *, back: bool) -> Screen:
    return Screen(progress_text(t, view, thresholds), _progress_keyboard(t, view, back=back))


def progress_text(t: Translator, view: ProgressView, thresholds: tuple[Decimal, ...]) -> str:
    lines = [f"📈 {html.bold(html.quote(child_label(view.student)))}", html.quote(selection_label(t, view.selection))]
    averaged = [s for s in view.subjects if s.average is not None]
    if not averaged:
        lines += ["", t.gettext("No marks to average in this period yet.")]
    for subject in averaged:
        lines += ["", *_subject_lines(t, subject)]
    rest = [s.subject for s in view.subjects if s.average is None] + view.without_marks
    if rest and averaged:
        lines += ["", t.gettext("No average yet: {subjects}.").format(subjects=html.quote(", ".join(rest)))]
    if averaged:
        lines += ["", html.italic(_legend(t, thresholds))]
    if view.comparison is Comparison.UNAVAILABLE:
        lines.append(html.italic(t.gettext("No class comparison: this e-diary gives only your own family's marks.")))
    return "\n".join(lines)


def _subject_lines(t: Translator, subject: SubjectProgress) -> list[str]:
    assert subject.average is not None and subject.mark is not None  # only subjects with an average are listed
    trend = trend_phrase(t, subject)
    head = t.gettext("{subject}: <b>{average}</b>{trend} · leads to <b>{mark}</b>").format(
        subject=html.bold(html.quote(subject.subject)),
        average=number(t, subject.average),
        trend=f" {trend}" if trend else "",
        mark=subject.mark,
    )
    details = [steps_phrase(t, subject.steps, subject.usual_weight)] if subject.steps else []
    if subject.standing is not None:
        place = f", {quarter_phrase(t, subject.standing.quarter)}" if subject.standing.quarter else ""
        details.append(t.gettext("class {average}").format(average=number(t, subject.standing.average)) + place)
    return [head] + (["    " + " · ".join(details)] if details else [])


def _legend(t: Translator, thresholds: tuple[Decimal, ...]) -> str:
    five, four, three = (number(t, value) for value in thresholds)
    return "\n".join(
        [
            t.gettext(
                "↗ ↘: the later half of the period's marks averages at least {step} more or less than the earlier "
                "half; → about the same; no arrow: fewer than {n} marks."
            ).format(step=number(t, TREND_STEP), n=MIN_MARKS_FOR_TREND),
            t.gettext(
                "The period mark by the school's rule: from {five} a 5, from {four} a 4, from {three} a 3."
            ).format(five=five, four=four, three=three),
        ]
    )


def _progress_keyboard(t: Translator, view: ProgressView, *, back: bool) -> InlineKeyboardMarkup:
    student, key = view.student.id, view.selection.key
    kb = Keyboard()
    sizes = []
    if any(s.average is not None for s in view.subjects):
        kb.button(text=t.gettext("📊 Chart"), callback_data=ProgressChartCb(student=student, period=key))
        sizes.append(1)
    choices = [(short_key(p.id), period_name(t, p)) for p in view.periods] + [(WHOLE_YEAR, period_name(t, None))]
    for choice, name in choices:
        kb.button(
            text=f"• {name}" if choice == key else name, callback_data=ProgressListCb(student=student, period=choice)
        )
    full, rest = divmod(len(choices), PERIODS_PER_ROW)
    sizes += [PERIODS_PER_ROW] * full + ([rest] if rest else [])
    if back:
        kb.button(text=t.gettext("⬅️ Back"), callback_data=ProgressHomeCb())
        sizes.append(1)
    kb.adjust(*sizes)
    return kb.as_markup()


# --- charts --------------------------------------------------------------------------------------
def chart_caption(t: Translator, view: ProgressView, subject: SubjectProgress | None) -> str:
    what = html.quote(subject.subject) if subject is not None else t.gettext("all subjects")
    lines = [
        f"📊 {html.bold(html.quote(child_label(view.student)))} — {what}",
        html.quote(selection_label(t, view.selection)),
    ]
    if subject is not None and subject.standing is not None:
        lines.append(t.gettext("Dashed: the class average (no other child's marks are shown)."))
    elif subject is None and any(s.standing for s in view.subjects):
        lines.append(t.gettext("Ticks: the class average (no other child's marks are shown)."))
    return "\n".join(lines)


def chart_keyboard(t: Translator, view: ProgressView, shown: str) -> InlineKeyboardMarkup:
    """A button per subject with an average and one for all of them, the shown one marked."""
    kb = Keyboard()
    student, key = view.student.id, view.selection.key
    choices = [("", t.gettext("📊 All subjects"))] + [
        (short_key(s.subject), s.subject) for s in view.subjects if s.average is not None
    ]
    for subject, name in choices:
        kb.button(
            text=f"• {name}" if subject == shown else name,
            callback_data=ProgressChartViewCb(student=student, period=key, subject=subject),
        )
    kb.adjust(1, SUBJECTS_PER_ROW)
    return kb.as_markup()


# --- access, errors, stale buttons ---------------------------------------------------------------
def no_access(t: Translator, roles: Collection[Role]) -> Screen:
    if set(roles) & {Role.PARENT, Role.STUDENT}:
        return Screen(
            t.gettext("The e-diary lists no students for your account. If that is wrong, ask the school: /link")
        )
    if Role.TEACHER in roles:
        return Screen(
            t.gettext(
                "Progress is shown to students and parents; your account is linked as a teacher. If your own "
                "child studies here, link with the parent code from the school: /link"
            )
        )
    return Screen(t.gettext("Progress is shown to linked students and parents. Link your account first: /link"))


def unavailable_text(t: Translator) -> str:
    return t.gettext("The e-diary is not answering. Please try again in a minute.")


def outage(t: Translator, retry_data: str) -> Screen:
    return outage_screen(unavailable_text(t), retry_data)


def stale_child_text(t: Translator) -> str:
    return t.gettext("This button is out of date: the student is not linked to your account. Open /progress again.")


def stale_period_text(t: Translator) -> str:
    return t.gettext("That period is no longer in the e-diary. Showing the current one.")


def nothing_to_chart_text(t: Translator) -> str:
    return t.gettext("No marks to chart in this period yet.")
