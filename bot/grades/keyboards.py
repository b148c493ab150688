"""Inline keyboards of the /grades screens: the period switch under every list, Back in every nested view."""

from __future__ import annotations

from collections.abc import Callable

from aiogram.filters.callback_data import CallbackData
from aiogram.types import InlineKeyboardMarkup
from aiogram.utils.i18n import gettext as _

from bot.ediary.model import Period, Student
from bot.gradebook.periods import WHOLE_YEAR, Selection, period_key
from bot.grades.callbacks import GradesHomeCb, GradesListCb, GradesSubjectCb
from bot.grades.loader import SubjectsView, SubjectView
from bot.grades.wording import child_label, period_name, subject_button
from bot.ui.keyboard import Keyboard

PERIODS_PER_ROW = 2


def _back() -> str:
    return _("⬅️ Back")


def children_keyboard(students: list[Student]) -> InlineKeyboardMarkup:
    kb = Keyboard()
    for student in students:
        kb.button(text=child_label(student), callback_data=GradesListCb(student=student.id))
    kb.adjust(1)
    return kb.as_markup()


def subjects_keyboard(view: SubjectsView, *, back_to_children: bool) -> InlineKeyboardMarkup:
    student, key = view.student.id, view.selection.key
    kb = Keyboard()
    for summary in view.summaries:
        kb.button(
            text=subject_button(summary.name, summary.count, summary.average),
            callback_data=GradesSubjectCb(student=student, period=key, subject=summary.key),
        )
    sizes = [1] * len(view.summaries)
    sizes += _period_buttons(kb, view.periods, view.selection, lambda k: GradesListCb(student=student, period=k))
    if back_to_children:
        kb.button(text=_back(), callback_data=GradesHomeCb())
        sizes.append(1)
    kb.adjust(*sizes)
    return kb.as_markup()


def subject_keyboard(view: SubjectView, subject_key: str) -> InlineKeyboardMarkup:
    student, key, page = view.student.id, view.selection.key, view.page

    def at(period: str, number: int = 0) -> GradesSubjectCb:
        return GradesSubjectCb(student=student, period=period, subject=subject_key, page=number)

    kb = Keyboard()
    sizes = []
    pager = [(_("◀️ Newer"), page.number - 1)] if page.has_previous else []
    pager += [(_("Older ▶️"), page.number + 1)] if page.has_next else []
    for text, number in pager:
        kb.button(text=text, callback_data=at(key, number))
    if pager:
        sizes.append(len(pager))
    sizes += _period_buttons(kb, view.periods, view.selection, at)
    kb.button(text=_back(), callback_data=GradesListCb(student=student, period=key))
    kb.adjust(*sizes, 1)
    return kb.as_markup()


def _period_buttons(
    kb: Keyboard, periods: list[Period], selection: Selection, target: Callable[[str], CallbackData]
) -> list[int]:
    """A button per period and one for the whole year, the shown one marked; returns the row sizes."""
    choices = [(period_key(p), period_name(p)) for p in periods] + [(WHOLE_YEAR, period_name(None))]
    for key, name in choices:
        kb.button(text=f"• {name}" if key == selection.key else name, callback_data=target(key))
    full, rest = divmod(len(choices), PERIODS_PER_ROW)
    return [PERIODS_PER_ROW] * full + ([rest] if rest else [])
