"""Screens of a teacher writing to a student's parents (outreach.py), in the teacher's language."""

from __future__ import annotations

from datetime import datetime, tzinfo

from aiogram import html
from aiogram.filters.callback_data import CallbackData
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup

from bot.ediary.model import Sex, Student
from bot.messaging.answers import when_text
from bot.messaging.callbacks import MsgClassCb, MsgClassesCb, MsgDraftCb, MsgPupilCb, MsgStartCb, MsgToParentsCb
from bot.messaging.drafts import Draft, draft_lines
from bot.messaging.outreach import Outreach, ParentOutcome
from bot.ui import Screen, Translator

CLASSES_PER_ROW = 4
STUDENTS_PER_ROW = 2


def _button(text: str, data: CallbackData) -> InlineKeyboardButton:
    return InlineKeyboardButton(text=text, callback_data=data.pack())


def _keyboard(rows: list[list[InlineKeyboardButton]]) -> InlineKeyboardMarkup | None:
    rows = [row for row in rows if row]
    return InlineKeyboardMarkup(inline_keyboard=rows) if rows else None


def _cancel(tr: Translator) -> InlineKeyboardButton:
    return _button(tr.gettext("✖️ Cancel"), MsgDraftCb(action="cancel"))


def to_parents_button(tr: Translator) -> InlineKeyboardButton:
    """On the family's /message screens of an account that is also a teacher."""
    return _button(tr.gettext("👩‍🏫 As a teacher: write to a student's parents"), MsgClassesCb())


def parents_of(student: Student, tr: Translator) -> str:
    """ "Parents of the student …" — the word for the student by their sex, where the e-diary gives it."""
    names = {"student": html.quote(student.person.full_name), "class_name": html.quote(student.class_name)}
    if student.person.sex == Sex.MALE:
        return tr.gettext("parents of {student} (a boy), class {class_name}").format(**names)
    if student.person.sex == Sex.FEMALE:
        return tr.gettext("parents of {student} (a girl), class {class_name}").format(**names)
    return tr.gettext("parents of {student}, class {class_name}").format(**names)


def class_picker(classes: list[str], tr: Translator, *, family_too: bool) -> Screen:
    text = tr.gettext("✉️ To write to a student's parents, choose the class.")
    if not family_too:
        text += "\n\n" + tr.gettext(
            "Parents and students write to you here too: their messages come to this chat with a «Reply» "
            "button, and all conversations are in /inbox."
        )
    buttons = [_button(name, MsgClassCb(class_name=name)) for name in classes]
    rows = [buttons[i : i + CLASSES_PER_ROW] for i in range(0, len(buttons), CLASSES_PER_ROW)]
    back = [_button(tr.gettext("⬅️ Back"), MsgStartCb())] if family_too else []
    return Screen(text, _keyboard([*rows, [*back, _cancel(tr)]]))


def pupil_picker(class_name: str, students: list[Student], tr: Translator) -> Screen:
    text = tr.gettext("✉️ Class {class_name}: whose parents do you want to write to?").format(
        class_name=html.quote(class_name)
    )
    buttons = [_button(_short(s), MsgPupilCb(student=s.id)) for s in students]
    rows = [buttons[i : i + STUDENTS_PER_ROW] for i in range(0, len(buttons), STUDENTS_PER_ROW)]
    if not students:
        text += "\n\n" + tr.gettext("The e-diary lists no students in this class.")
    return Screen(text, _keyboard([*rows, [_button(tr.gettext("⬅️ Back"), MsgClassesCb()), _cancel(tr)]]))


def _short(student: Student) -> str:
    """'Иванов Артём Алексеевич' -> 'Иванов Артём' (journal order, surname first)."""
    return " ".join(student.person.full_name.split()[:2])


def parents_screen(reach: Outreach, tr: Translator) -> Screen:
    lines = [f"👪 {_capitalized(parents_of(reach.student, tr))}", ""]
    for seat in reach.parents:
        state = tr.gettext("in the bot") if seat.linked else tr.gettext("not in the bot yet")
        lines.append(f"• <b>{html.quote(seat.parent.full_name)}</b> — {state}")
    rows = []
    if not reach.parents:
        lines.append(tr.gettext("The e-diary lists no parents for this student."))
    else:
        if not all(seat.linked for seat in reach.parents):
            lines += ["", tr.gettext("Those not in the bot yet get your message as soon as they join.")]
        rows.append([_button(tr.gettext("✍️ Write to the parents"), MsgToParentsCb(student=reach.student.id))])
    back = _button(tr.gettext("⬅️ Back"), MsgClassCb(class_name=reach.student.class_name))
    return Screen("\n".join(lines), _keyboard([*rows, [back, _cancel(tr)]]))


def _capitalized(text: str) -> str:
    return text[:1].upper() + text[1:]


def _addressees(reach: Outreach, tr: Translator) -> str:
    names = ", ".join(f"<b>{html.quote(seat.parent.full_name)}</b>" for seat in reach.parents)
    return f"{names}\n{parents_of(reach.student, tr)}"


def writing_prompt(reach: Outreach, tr: Translator) -> Screen:
    rules = tr.gettext("Send text (up to 4096 characters), a photo or a document (caption up to 800 characters).")
    text = f"{tr.gettext('✍️ Your message to:')}\n{_addressees(reach, tr)}\n\n{rules}"
    back = _button(tr.gettext("⬅️ Back"), MsgPupilCb(student=reach.student.id))
    return Screen(text, _keyboard([[back, _cancel(tr)]]))


def preview(reach: Outreach, draft: Draft, tr: Translator, *, album: bool) -> Screen:
    lines = [tr.gettext("<b>Check your message</b>"), tr.gettext("To:") + " " + _addressees(reach, tr), ""]
    lines += draft_lines(draft, tr)
    lines += ["", tr.gettext("Send it?")]
    if album:
        lines += [
            "",
            tr.gettext("Only one photo or file goes in a message: send the others one by one after this one."),
        ]
    markup = _keyboard(
        [
            [
                _button(tr.gettext("✅ Send"), MsgDraftCb(action="psend")),
                _button(tr.gettext("✏️ Rewrite"), MsgDraftCb(action="pedit")),
            ],
            [_cancel(tr)],
        ]
    )
    return Screen("\n".join(lines), markup)


def outcome_text(reach: Outreach, outcomes: list[ParentOutcome], tr: Translator, tz: tzinfo, now: datetime) -> str:
    lines = [f"📨 {_capitalized(parents_of(reach.student, tr))}:"]
    for item in outcomes:
        outcome, name = item.outcome, f"<b>{html.quote(item.parent.full_name)}</b>"
        if outcome.message is None:
            state = tr.gettext("already sent")
        elif outcome.recipients == 0:
            state = tr.gettext("not in the bot yet: they get it as soon as they join")
            if outcome.ediary == "sent":
                state += "; " + tr.gettext("also sent through the e-diary's messages")
            elif outcome.ediary == "pending":
                state += "; " + tr.gettext("it also goes through the e-diary's messages as soon as the e-diary answers")
        elif outcome.deferred_until is not None:
            state = tr.gettext("sent; outside their notification hours, they will be notified {when}").format(
                when=when_text(outcome.deferred_until, tz, now, tr)
            )
        else:
            state = tr.gettext("✅ sent")
        lines.append(f"• {name} — {state}")
    lines += ["", tr.gettext("Their answers will come to this chat; all conversations are in /inbox.")]
    return "\n".join(lines)
