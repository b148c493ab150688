"""The /stats screens (HTML), inside a handler where `_()` knows the admin's language. Counts only: no
names, no message texts."""

from __future__ import annotations

from datetime import datetime, tzinfo

from aiogram import html
from aiogram.utils.i18n import gettext as _

from bot.stats.service import Overview
from bot.ui import Screen


def refusal() -> Screen:
    return Screen(_("/stats is for the school's administrators. Ask your school's admin if you need these figures."))


def overview(data: Overview, tz: tzinfo) -> Screen:
    roles = data.users_by_role
    lines = [
        html.bold(_("School overview")),
        "",
        _("Linked accounts: parents {parents}, students {students}, teachers {teachers}").format(
            parents=roles.get("parent", 0), students=roles.get("student", 0), teachers=roles.get("teacher", 0)
        ),
        "",
        html.bold(_("Joined, by class")),
    ]
    if data.classes is None:
        lines.append(_("The e-diary did not answer: the classes cannot be counted now."))
    elif not data.classes:
        lines.append(_("The e-diary lists no classes."))
    else:
        lines.append(_("class: students joined · families joined, of all students"))
        lines += [
            _("{name}: {students} · {families} of {total}").format(
                name=html.quote(c.name), students=c.students_joined, families=c.families_joined, total=c.students
            )
            for c in data.classes
        ]
    lines += [
        "",
        _("Alerts sent: today {today}, this week {week}").format(today=data.alerts_today, week=data.alerts_week),
        _outbox_line(data, tz),
        _poll_line(data, tz),
        _("Messages waiting for teachers who have not linked: {messages} (teachers: {teachers})").format(
            messages=data.awaiting_messages, teachers=data.awaiting_teachers
        ),
    ]
    return Screen("\n".join(lines))


def _moment(value: datetime, tz: tzinfo) -> str:
    return value.astimezone(tz).strftime("%d.%m %H:%M")


def _outbox_line(data: Overview, tz: tzinfo) -> str:
    line = _("Outbox: {waiting} waiting, {blocked} held for users who blocked the bot").format(
        waiting=data.outbox.waiting, blocked=data.outbox.blocked
    )
    if data.outbox.oldest_due_at is not None:
        line += "; " + _("oldest due since {moment}").format(moment=_moment(data.outbox.oldest_due_at, tz))
    return line


def _poll_line(data: Overview, tz: tzinfo) -> str:
    if data.last_poll is None:
        last = _("E-diary: no successful poll since the bot started")
    else:
        last = _("E-diary: last successful poll {moment}").format(moment=_moment(data.last_poll, tz))
    return (
        last
        + "; "
        + _("reads failing now: {failing}; errors since start: {errors}").format(
            failing=data.failing_reads, errors=data.provider_errors
        )
    )
