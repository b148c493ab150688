"""What /invite shows: whom the codes are for, how to hand them out, and the codes (messages or the sheet)."""

from __future__ import annotations

from datetime import tzinfo

from aiogram import html
from aiogram.types import BufferedInputFile, InlineKeyboardButton, InlineKeyboardMarkup
from aiogram.utils.i18n import gettext as _

from bot.codes.holder import Holder, holder_details
from bot.codes.validity import valid_through
from bot.i18n import PoI18n
from bot.invite import rights
from bot.invite.callbacks import InviteCb, JoiningCb
from bot.invite.issue import Invitation
from bot.invite.service import ChooseClass, ChooseRole, Issued, Named, Opening, Refused, TooMuch
from bot.invite.sheet import render_sheet, sheet_title
from bot.ui import Screen

MESSAGE_LIMIT = 4000  # Telegram allows 4096 characters; keep a margin for the entities
CLASSES_PER_ROW = 3
REFUSED_SHOWN = 5  # what an answer quotes back of what was typed: a few words, each cut short
QUOTE_LENGTH = 24


def _button(text: str, **values: str) -> InlineKeyboardButton:
    return InlineKeyboardButton(text=text, callback_data=InviteCb(**values).pack())


def cancel_row() -> list[InlineKeyboardButton]:
    return [_button(_("✖️ Cancel"), step="cancel")]


def not_allowed_text() -> str:
    return _(
        "Only the school's administrators and homeroom teachers can issue codes. If you are a homeroom "
        "teacher, link your teacher account first: /link."
    )


def stale_text() -> str:
    return _("This button is out of date. Send /invite again.")


def ediary_down_text() -> str:
    return _("The e-diary is not answering right now. Please try again in a few minutes.")


def opening_screen(opening: Opening) -> Screen:
    if isinstance(opening, ChooseClass):
        return _class_screen(opening)
    if isinstance(opening, ChooseRole):
        return role_screen(opening.class_name)
    if isinstance(opening, Named):
        return _named_screen(opening.holders)
    if isinstance(opening, TooMuch):
        return Screen(_too_much_text(opening.max_named))
    return Screen(_refused_text(opening))


def _too_much_text(max_named: int) -> str:
    return _(
        "That is too long for one /invite: name at most {n} people at once by their e-diary ids (like s01 p01), "
        "or send /invite alone and choose a class."
    ).format(n=max_named)


def _quoted(words: list[str]) -> str:
    """What was typed, quoted back short: long words cut, at most a few of them."""
    shown = [w if len(w) <= QUOTE_LENGTH else w[: QUOTE_LENGTH - 1] + "…" for w in words[:REFUSED_SHOWN]]
    if len(words) > REFUSED_SHOWN:
        shown.append("…")
    return html.quote(", ".join(shown))


def _class_screen(choice: ChooseClass) -> Screen:
    buttons = [_button(cls, step="role", cls=cls) for cls in choice.classes]
    rows = [buttons[i : i + CLASSES_PER_ROW] for i in range(0, len(buttons), CLASSES_PER_ROW)]
    if choice.all_teachers:
        rows.append([_button(_("👩‍🏫 All teachers"), step="fmt", role=rights.TEACHERS)])
    rows.append(cancel_row())
    hint = _(
        "Whom are the codes for? Choose a class. For particular people send /invite with their e-diary ids, "
        "for example <code>/invite s01 p01</code>."
    )
    return Screen(hint, InlineKeyboardMarkup(inline_keyboard=rows))


def _named_screen(holders: list[Holder]) -> Screen:
    head, tail = _("Codes for:"), "\n\n" + format_question()
    lines: list[str] = []
    room = MESSAGE_LIMIT - len(head) - len(tail) - 100  # the "and N more" line
    for index, holder in enumerate(holders):
        line = f"• {html.quote(holder.person.full_name)} — {html.quote(holder_details(holder, _))}"
        room -= len(line) + 1
        if room < 0:  # every code is still issued; only the list is cut (long e-diary details)
            rest = len(holders) - index
            lines.append(_("…and {n} more", "…and {n} more", rest).format(n=rest))
            break
        lines.append(line)
    return Screen("\n".join([head, *lines]) + tail, _format_markup(cls="", role=""))


def _refused_text(refused: Refused) -> str:
    what = _quoted(refused.what)
    if refused.inviter.is_admin:
        return _("I don't know {what}. Ids look like s01 or p01; `ediary-bot people` lists everyone.").format(what=what)
    return _(
        "I can't issue codes for {what}. You can issue codes for the students of {classes} and their parents."
    ).format(what=what, classes=", ".join(refused.inviter.homeroom_classes))


def role_screen(class_name: str) -> Screen:
    rows = [
        [
            _button(_("Students"), step="fmt", cls=class_name, role="student"),
            _button(_("Parents"), step="fmt", cls=class_name, role="parent"),
        ],
        [_button(_("Students and parents"), step="fmt", cls=class_name, role="all")],
        [
            InlineKeyboardButton(
                text=_("⏳ Who has not joined yet"), callback_data=JoiningCb(act="list", cls=class_name).pack()
            )
        ],
        cancel_row(),
    ]
    text = _("Codes for class {cls}: for whom?").format(cls=html.quote(class_name))
    return Screen(text, InlineKeyboardMarkup(inline_keyboard=rows))


def format_screen(*, cls: str, role: str) -> Screen:
    return Screen(format_question(), _format_markup(cls=cls, role=role))


def format_question() -> str:
    return _("How should I give you the codes?")


def _format_markup(*, cls: str, role: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        inline_keyboard=[
            [_button(_("💬 Here in the chat"), step="go", cls=cls, role=role, fmt="msg")],
            [_button(_("🖨 Printable sheet (HTML)"), step="go", cls=cls, role=role, fmt="html")],
            cancel_row(),
        ]
    )


def cancelled_screen() -> Screen:
    return Screen(_("Cancelled: no codes were issued."))


def nobody_screen() -> Screen:
    return Screen(_("There is nobody to issue codes for."))


def progress_screen(n: int) -> Screen:
    """In place of the pressed message while the codes are issued and sent."""
    return Screen(_("Issuing {n} code…", "Issuing {n} codes…", n).format(n=n))


def batch_title(data: InviteCb) -> str:
    """What an /invite batch is for: 'Class 5А: parents', 'Teachers', 'Personal codes'."""
    return sheet_title(_, class_name=data.cls or None, role=data.role or None)


def summary_text(issued: Issued, title: str, *, tz: tzinfo, locale: str) -> str:
    """'Class 5А: parents: 27 codes, valid through December 9, 2026.' (and how many old codes stopped working)"""
    n = len(issued.invitations)
    until = valid_through(issued.invitations[0].expires_at, tz, locale)
    text = _("{title}: {n} code, valid through {date}.", "{title}: {n} codes, valid through {date}.", n).format(
        title=html.quote(title), n=n, date=until
    )
    if issued.revoked:
        text += " " + _(
            "{n} earlier code no longer works.", "{n} earlier codes no longer work.", issued.revoked
        ).format(n=issued.revoked)
    return text


def issued_screen(summary: str) -> Screen:
    """In place of the pressed message, once the codes are out."""
    return Screen(summary + "\n" + _("Give each person only their own code: it works once."))


def sheet_document(
    issued: Issued, title: str, file_stem: str, summary: str, *, i18n: PoI18n, locale: str, tz: tzinfo
) -> tuple[BufferedInputFile, str]:
    """The printable sheet as an HTML file ('codes-<file_stem>-<date>.html'), and its caption."""
    sheet = render_sheet(
        issued.invitations,
        title=title,
        bot_username=issued.bot_username,
        i18n=i18n,
        locale=locale,
        tz=tz,
        issued_at=issued.at,
    )
    name = f"codes-{file_stem}-{issued.at.astimezone(tz).date().isoformat()}.html"
    caption = (
        summary
        + "\n"
        + _("Print it on A4, cut along the dashed lines and give each person their own card. Each code works once.")
    )
    return BufferedInputFile(sheet.encode("utf-8"), filename=name), caption


def code_messages(invitations: list[Invitation]) -> list[str]:
    """The codes as chat messages, several per message within Telegram's length limit."""
    return _chunks([_entry(inv) for inv in invitations])


def _entry(inv: Invitation) -> str:
    holder = inv.holder
    lines = [f"<b>{html.quote(holder.person.full_name)}</b> — {html.quote(holder_details(holder, _))}"]
    if holder.children:  # so the teacher knows whose parent this is
        names = ", ".join(f"{c.person.short_name} ({c.class_name})" for c in holder.children)
        lines.append(_("children: {names}").format(names=html.quote(names)))
    lines += [f"<code>{inv.display_code}</code>", html.quote(inv.link)]
    return "\n".join(lines)


def _chunks(entries: list[str]) -> list[str]:
    chunks: list[str] = []
    current = ""
    for entry in entries:
        if current and len(current) + 2 + len(entry) > MESSAGE_LIMIT:
            chunks.append(current)
            current = ""
        current = f"{current}\n\n{entry}" if current else entry
    if current:
        chunks.append(current)
    return chunks
