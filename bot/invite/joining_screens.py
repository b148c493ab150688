"""What /invite shows about who of a class has not joined yet: the families still waiting, page by page, who of
them already holds a working code, and the step to issue codes for exactly them."""

from __future__ import annotations

from datetime import datetime, tzinfo

from aiogram import html
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup
from aiogram.utils.i18n import gettext as _
from babel.dates import format_skeleton

from bot.codes.holder import role_label
from bot.codes.validity import last_valid_day
from bot.ediary.model import Role, Sex
from bot.invite.callbacks import InviteCb, JoiningCb
from bot.invite.joining import ClassJoining, Family, Member
from bot.invite.screens import MESSAGE_LIMIT, cancel_row, format_question
from bot.ui import Screen

FAMILIES_PER_PAGE = 15  # a page reads at a glance; the character limit may cut it shorter
NAME_SHOWN = 80  # an e-diary may hold absurdly long names: a line stays a line
SHORT_DATE = "ddMM"  # '09.12' / '12/9': the locale's own order


def joining_title(class_name: str) -> str:
    """The batch's name on the sheet and in the summary."""
    return _("Class {cls} — not joined yet").format(cls=class_name)


def list_screen(joining: ClassJoining, page: int, *, tz: tzinfo, locale: str) -> Screen:
    """The families of the class with someone not joined yet, at `page` (kept within the pages there are)."""
    cls = joining.class_name
    students, parents = joining.tally(Role.STUDENT), joining.tally(Role.PARENT)
    head = "\n".join(
        [
            "<b>" + html.quote(_("Class {cls}: who has not joined yet").format(cls=cls)) + "</b>",
            _("Joined: students {s} of {s_total}, parents {p} of {p_total}.").format(
                s=students.joined, s_total=students.total, p=parents.joined, p_total=parents.total
            ),
        ]
    )
    waiting = joining.waiting
    if not waiting:
        text = head + "\n\n" + html.quote(_("Everyone in class {cls} has joined.").format(cls=cls))
        return Screen(text, InlineKeyboardMarkup(inline_keyboard=[_back_row(cls)]))
    tail = _waiting_text(len(waiting), joining.with_code)
    blocks = [_family_block(family, tz, locale) for family in joining.pending]
    pages = _pages(blocks, MESSAGE_LIMIT - len(head) - len(tail) - 4)
    page = min(page, len(pages) - 1)
    text = head + "\n\n" + "\n".join(pages[page]) + "\n\n" + tail
    rows = _issue_rows(joining, page)
    if len(pages) > 1:
        rows.append(_pager_row(cls, page, len(pages)))
    rows.append(_back_row(cls))
    return Screen(text, InlineKeyboardMarkup(inline_keyboard=rows))


def format_screen(joining: ClassJoining, *, renew: bool, page: int) -> Screen:
    """How to hand out the codes for those waiting (all of them with `renew`, else those without a code)."""
    n = len(joining.to_issue(renew=renew))
    lines = [
        "<b>" + html.quote(joining_title(joining.class_name)) + "</b>",
        _("{n} code will be issued.", "{n} codes will be issued.", n).format(n=n),
    ]
    revoked = joining.with_code if renew else 0
    if revoked:
        lines.append(
            _("{n} earlier code will stop working.", "{n} earlier codes will stop working.", revoked).format(n=revoked)
        )
    cls = joining.class_name

    def go(fmt: str) -> str:
        return JoiningCb(act="go", cls=cls, page=page, renew=renew, fmt=fmt).pack()

    rows = [
        [InlineKeyboardButton(text=_("💬 Here in the chat"), callback_data=go("msg"))],
        [InlineKeyboardButton(text=_("🖨 Printable sheet (HTML)"), callback_data=go("html"))],
        [
            InlineKeyboardButton(text=_("⬅️ Back"), callback_data=JoiningCb(act="list", cls=cls, page=page).pack()),
            *cancel_row(),
        ],
    ]
    return Screen("\n".join(lines) + "\n\n" + format_question(), InlineKeyboardMarkup(inline_keyboard=rows))


def _waiting_text(n: int, with_code: int) -> str:
    text = _("{n} person has not joined yet.", "{n} people have not joined yet.", n).format(n=n)
    if with_code:
        text += " " + _(
            "{n} of them already has a code that still works.",
            "{n} of them already have codes that still work.",
            with_code,
        ).format(n=with_code)
        text += " " + _("New codes for everyone make their earlier codes stop working.")
    return text


def _family_block(family: Family, tz: tzinfo, locale: str) -> str:
    student = family.student
    lines = [f"• <b>{_name(student)}</b>, {html.quote(_label(student))}: {html.quote(_status(student, tz, locale))}"]
    lines += [
        f"    ◦ {_name(parent)}, {html.quote(_label(parent))}: {html.quote(_status(parent, tz, locale))}"
        for parent in family.parents
        if not parent.joined
    ]
    return "\n".join(lines)


def _name(member: Member) -> str:
    name = member.holder.person.full_name
    return html.quote(name if len(name) <= NAME_SHOWN else name[: NAME_SHOWN - 1] + "…")


def _label(member: Member) -> str:
    return role_label(member.holder.role, _, member.holder.person.sex)


def _status(member: Member, tz: tzinfo, locale: str) -> str:
    if member.joined:  # only a student is shown joined: as the head of a family still waiting
        sex = member.holder.person.sex
        if sex == Sex.FEMALE:
            return _("has joined (female)")
        if sex == Sex.MALE:
            return _("has joined (male)")
        return _("has joined")
    if member.code is None:
        return _("no code yet")
    return _("code issued {issued}, valid through {until}").format(
        issued=_short_date(member.code.created_at, tz, locale),
        until=format_skeleton(SHORT_DATE, last_valid_day(member.code.expires_at, tz), locale=locale),
    )


def _short_date(moment: datetime, tz: tzinfo, locale: str) -> str:
    return format_skeleton(SHORT_DATE, moment.astimezone(tz).date(), locale=locale)


def _pages(blocks: list[str], room: int) -> list[list[str]]:
    """Families packed into pages of at most FAMILIES_PER_PAGE and `room` characters, a family never split."""
    pages: list[list[str]] = [[]]
    used = 0
    for block in blocks:
        if len(block) > room:  # a family longer than a page: its first lines, cut where the page ends
            block = block[: max(block.rfind("\n", 0, room - 2), 0)] + "\n…"
        if pages[-1] and (used + len(block) + 1 > room or len(pages[-1]) >= FAMILIES_PER_PAGE):
            pages.append([])
            used = 0
        pages[-1].append(block)
        used += len(block) + 1
    return pages


def _issue_rows(joining: ClassJoining, page: int) -> list[list[InlineKeyboardButton]]:
    cls, n, with_code = joining.class_name, len(joining.waiting), joining.with_code
    rows = []
    if with_code < n:
        without = n - with_code
        text = (
            _("🎟 Codes for {n} person", "🎟 Codes for {n} people", n).format(n=n)
            if not with_code
            else _("🎟 Codes for {n} without one", "🎟 Codes for {n} without one", without).format(n=without)
        )
        rows.append([InlineKeyboardButton(text=text, callback_data=JoiningCb(act="fmt", cls=cls, page=page).pack())])
    if with_code:
        data = JoiningCb(act="fmt", cls=cls, page=page, renew=True).pack()
        rows.append([InlineKeyboardButton(text=_("🔁 New codes for all {n}").format(n=n), callback_data=data)])
    return rows


def _pager_row(cls: str, page: int, pages: int) -> list[InlineKeyboardButton]:
    def to(number: int, text: str) -> InlineKeyboardButton:
        return InlineKeyboardButton(text=text, callback_data=JoiningCb(act="list", cls=cls, page=number).pack())

    row = [to(page - 1, "◀️")] if page > 0 else []
    row.append(to(page, f"{page + 1}/{pages}"))  # the same page, read again: who joined since
    if page < pages - 1:
        row.append(to(page + 1, "▶️"))
    return row


def _back_row(cls: str) -> list[InlineKeyboardButton]:
    back = InlineKeyboardButton(text=_("⬅️ Back"), callback_data=InviteCb(step="role", cls=cls).pack())
    return [back, *cancel_row()]
