"""The /report screens (HTML) in the reader's language: the child chooser, the period chooser, the document's
caption, and what is said instead."""

from __future__ import annotations

from collections.abc import Collection

from aiogram import html

from bot.ediary.model import Period, Role, Student
from bot.gradebook.periods import WHOLE_YEAR, short_key
from bot.gradebook.wording import child_label, period_name
from bot.report.callbacks import ReportChildCb, ReportHomeCb, ReportMakeCb
from bot.ui import Screen, Translator, outage_screen
from bot.ui.keyboard import Keyboard

PERIODS_PER_ROW = 2


def choose_child(t: Translator, students: list[Student]) -> Screen:
    kb = Keyboard()
    for student in students:
        kb.button(text=child_label(student), callback_data=ReportChildCb(student=student.id))
    kb.adjust(1)
    return Screen(t.gettext("📄 Whose report would you like?"), kb.as_markup())


def choose_period(t: Translator, student: Student, periods: list[Period], *, back: bool) -> Screen:
    text = t.gettext(
        "📄 A PDF report for {child}: marks by subject with averages and period marks, attendance and a chart. "
        "Choose the period:"
    ).format(child=html.bold(html.quote(child_label(student))))
    kb = Keyboard()
    choices = [(short_key(p.id), period_name(t, p)) for p in periods] + [(WHOLE_YEAR, period_name(t, None))]
    for key, name in choices:
        kb.button(text=name, callback_data=ReportMakeCb(student=student.id, period=key))
    full, rest = divmod(len(choices), PERIODS_PER_ROW)
    sizes = [PERIODS_PER_ROW] * full + ([rest] if rest else [])
    if back:
        kb.button(text=t.gettext("⬅️ Back"), callback_data=ReportHomeCb())
        sizes.append(1)
    kb.adjust(*sizes)
    return Screen(text, kb.as_markup())


def caption(t: Translator, student: Student, period: str) -> str:
    return t.gettext("📄 Report: {child}, {period}").format(
        child=html.quote(child_label(student)), period=html.quote(period)
    )


def no_access(t: Translator, roles: Collection[Role]) -> Screen:
    if set(roles) & {Role.PARENT, Role.STUDENT}:
        return Screen(
            t.gettext("The e-diary lists no students for your account. If that is wrong, ask the school: /link")
        )
    if Role.TEACHER in roles:
        return Screen(
            t.gettext(
                "Reports are made for students and parents; your account is linked as a teacher. If your own "
                "child studies here, link with the parent code from the school: /link"
            )
        )
    return Screen(t.gettext("Reports are made for linked students and parents. Link your account first: /link"))


def unavailable_text(t: Translator) -> str:
    return t.gettext("The e-diary is not answering. Please try again in a minute.")


def outage(t: Translator, retry_data: str) -> Screen:
    return outage_screen(unavailable_text(t), retry_data)


def stale_child_text(t: Translator) -> str:
    return t.gettext("This button is out of date: the student is not linked to your account. Open /report again.")


def stale_period_text(t: Translator) -> str:
    return t.gettext("That period is no longer in the e-diary. Open /report again.")
