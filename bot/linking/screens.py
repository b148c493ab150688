"""What the bot says while linking: one clear answer per verdict, the confirmation, /me, /unlink and /forget.
Called inside a handler (the user's language is active for `_`)."""

from __future__ import annotations

import math
from datetime import datetime, tzinfo

from aiogram import html
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup
from aiogram.utils.i18n import gettext as _
from babel.dates import format_time

from bot.codes.code import EXAMPLE_CODE
from bot.codes.holder import Holder, children_lines, holder_details, role_label
from bot.codes.validity import valid_through
from bot.linking import wording
from bot.linking.account import Identity
from bot.linking.callbacks import (
    ForgetCb,
    LinkCancelCb,
    LinkConfirmCb,
    UnlinkCancelCb,
    UnlinkConfirmCb,
    UnlinkPickCb,
)
from bot.linking.redeem import Redemption, Verdict
from bot.ui import Screen


def _cancel_button() -> InlineKeyboardButton:
    return InlineKeyboardButton(text=_("✖️ Cancel"), callback_data=LinkCancelCb().pack())


def holder_html(holder: Holder) -> str:
    """Name, role and (for a parent) each child with their class, as Telegram HTML."""
    lines = [f"<b>{html.quote(holder.person.full_name)}</b> — {html.quote(holder_details(holder, _))}"]
    if holder.children:
        lines.append(wording.children_heading(holder))
        lines += [f"• {html.quote(line)}" for line in children_lines(holder)]
    return "\n".join(lines)


# --- the code step -------------------------------------------------------------------------------------
def ask_for_code() -> Screen:
    text = _(
        "Send me the code from the card the school gave you, for example <code>{example}</code>. "
        "Capital or small letters, with or without dashes — all fine."
    ).format(example=EXAMPLE_CODE)
    return with_cancel(text)


def with_cancel(text: str) -> Screen:
    """An answer in the code step: the user may send the code again, or cancel."""
    return Screen(text, InlineKeyboardMarkup(inline_keyboard=[[_cancel_button()]]))


def not_a_text() -> Screen:
    return with_cancel(_("Please type the code as text, for example K7QF-93XM-RT2P."))


def use_the_buttons_text() -> str:
    return _("Please answer with a button under the message above: link or cancel.")


def cancelled_text() -> str:
    return _("Cancelled: nothing was linked.")


def cancelled_screen() -> Screen:
    return Screen(_("Cancelled: nothing was linked. Send /link whenever you are ready."))


def ediary_down_text() -> str:
    return _(
        "The e-diary is not answering right now. Your code is safe and still unused: please try again in a few minutes."
    )


def confirm_screen(code_id: int, holder: Holder) -> Screen:
    text = "\n".join(
        [
            _("This code is for:"),
            holder_html(holder),
            "",
            wording.link_question(holder) + " " + wording.what_linking_gives(holder),
        ]
    )
    buttons = [
        InlineKeyboardButton(text=_("✅ Yes, link"), callback_data=LinkConfirmCb(code_id=code_id).pack()),
        _cancel_button(),
    ]
    return Screen(text, InlineKeyboardMarkup(inline_keyboard=[buttons]))


def stale_confirm_text() -> str:
    return _("This button is out of date. Send /link to start again.")


def link_failed_text() -> str:
    return _("Something went wrong and nothing was linked; your code still works. Please try again in a minute.")


def linked_screen(holder: Holder) -> Screen:
    text = _("✅ Done! This account is now linked to:") + "\n" + holder_html(holder)
    return Screen(text + "\n\n" + wording.what_comes_now(holder))


def after_link_hint() -> str:
    return _("Use the menu below. /me shows what this account is linked to; /link adds another person.")


def verdict_text(result: Redemption, *, now: datetime, tz: tzinfo, locale: str) -> str:
    """The answer to any outcome other than READY and LINKED."""
    v = result.verdict
    if v == Verdict.MALFORMED:
        return _(
            "This doesn't look like a code. A code has 12 letters and digits, like <code>{example}</code>; "
            "the letters O, I, L and the digits 0, 1 never occur in it."
        ).format(example=EXAMPLE_CODE)
    if v == Verdict.BLOCKED and result.retry_at is not None:
        return _blocked(result.retry_at, now=now, tz=tz, locale=locale)
    if v == Verdict.UNKNOWN:
        text = _("I don't know this code. Please check it letter by letter against the card and send it again.")
    elif v == Verdict.EXPIRED and result.code is not None:
        text = _(
            "This code expired: it was valid through {date}. Please ask the school (for example your "
            "homeroom teacher) for a new one."
        ).format(date=valid_through(result.code.expires_at, tz, locale))
    elif v == Verdict.USED:
        text = _(
            "This code has already been used: each code works only once. If it wasn't you, please tell "
            "the school — they will issue a new code."
        )
    elif v == Verdict.REVOKED:
        text = _("This code was cancelled by the school. Please ask the school for a new one.")
    elif v == Verdict.USED_HERE:
        name = html.quote(result.holder.person.full_name) if result.holder else ""
        text = _(
            "You have already used this code to link this account: {name}. Each code works only once — if you "
            "unlinked since, please ask the school for a new one."
        ).format(name=name)
    elif v == Verdict.ALREADY_LINKED and result.holder is not None:
        text = "\n".join(
            [
                _("This account is already linked to:"),
                holder_html(result.holder),
                "",
                _("Everything is in place, nothing to do: the code was not used."),
            ]
        )
    elif v == Verdict.GONE:
        text = _(
            "The person this code was issued for is no longer in the e-diary. Please ask the school for a new code."
        )
    else:
        text = _("I couldn't use this code. Please try again.")
    if result.retry_at is not None:  # this failure reached the limit
        text += "\n\n" + _blocked(result.retry_at, now=now, tz=tz, locale=locale)
    elif result.attempts_left is not None:  # a counted failure: say how many tries remain
        text += "\n\n" + _(
            "{n} more attempt before a 15-minute pause.",
            "{n} more attempts before a 15-minute pause.",
            result.attempts_left,
        ).format(n=result.attempts_left)
    return text


def _blocked(retry_at: datetime, *, now: datetime, tz: tzinfo, locale: str) -> str:
    minutes = max(1, math.ceil((retry_at - now).total_seconds() / 60))
    local_time = format_time(retry_at.astimezone(tz).time(), format="HH:mm", locale=locale)
    return _(
        "Too many wrong codes. To keep accounts safe I won't check codes for a while: please try again at "
        "{time} (in {minutes})."
    ).format(time=local_time, minutes=_("{n} minute", "{n} minutes", minutes).format(n=minutes))


# --- /me -----------------------------------------------------------------------------------------------
def me_text(items: list[Identity], answered: bool) -> str:
    if not items:
        return _("This account is not linked to anyone yet. Send /link and the code from the school.")
    lines = [_("<b>This account is linked to:</b>")]
    for item in items:
        lines.append("")
        if item.holder is not None:
            lines.append(holder_html(item.holder))
        else:
            lines.append(_("{role} (the e-diary doesn't show details now)").format(role=role_label(item.role, _)))
    if not answered:
        lines += ["", _("The e-diary is not answering right now, so some details are missing.")]
    lines += ["", _("Add another person: /link. Remove one: /unlink. Erase everything: /forget.")]
    return "\n".join(lines)


# --- /unlink -------------------------------------------------------------------------------------------
def nothing_to_unlink_text() -> str:
    return _("This account is not linked to anyone, so there is nothing to unlink.")


def unlink_choice_screen(items: list[Identity]) -> Screen:
    rows = [
        [InlineKeyboardButton(text=_identity_label(item), callback_data=UnlinkPickCb(person=item.person_id).pack())]
        for item in items
    ]
    rows.append([InlineKeyboardButton(text=_("✖️ Cancel"), callback_data=UnlinkCancelCb().pack())])
    return Screen(_("Which link should I remove?"), InlineKeyboardMarkup(inline_keyboard=rows))


def _identity_label(item: Identity) -> str:
    """A button label: 'Иванова Мария Петровна — parent' (the full name, as everywhere else)."""
    if item.holder is None:
        return f"{item.person_id} — {role_label(item.role, _)}"
    return f"{item.holder.person.full_name} — {role_label(item.role, _, item.holder.person.sex)}"


def _identity_html(item: Identity) -> str:
    if item.holder is None:
        return f"{html.quote(item.person_id)} — {html.quote(role_label(item.role, _))}"
    return holder_html(item.holder)


def unlink_confirm_screen(item: Identity) -> Screen:
    text = _(
        "Remove this link?\n{who}\n\nNotifications for this link will stop coming here, and to link again you "
        "will need a new code from the school."
    ).format(who=_identity_html(item))
    buttons = [
        InlineKeyboardButton(text=_("Unlink"), callback_data=UnlinkConfirmCb(person=item.person_id).pack()),
        InlineKeyboardButton(text=_("Keep"), callback_data=UnlinkCancelCb().pack()),
    ]
    return Screen(text, InlineKeyboardMarkup(inline_keyboard=[buttons]))


def stale_unlink_text() -> str:
    return _("This button is out of date. Send /unlink again.")


def unlinked_screen() -> Screen:
    return Screen(_("Done: the link is removed."))


def after_unlink_hint(*, anything_left: bool) -> str:
    if anything_left:
        return _("/me shows what this account is still linked to.")
    return _("This account is not linked to anyone now. To link again, send /link with a new code from the school.")


def unlink_kept_screen() -> Screen:
    return Screen(_("Nothing changed."))


# --- /forget -------------------------------------------------------------------------------------------
def forget_confirm_screen() -> Screen:
    text = _(
        "This erases everything I store about you: the links of this account, your alert settings, unfinished "
        "conversations and messages waiting to be delivered. The e-diary itself is not affected. To use the bot "
        "again you will need new codes from the school.\n\nErase everything?"
    )
    buttons = [
        InlineKeyboardButton(text=_("🗑 Erase everything"), callback_data=ForgetCb(confirm=True).pack()),
        InlineKeyboardButton(text=_("✖️ Cancel"), callback_data=ForgetCb(confirm=False).pack()),
    ]
    return Screen(text, InlineKeyboardMarkup(inline_keyboard=[buttons]))


def forget_kept_screen() -> Screen:
    return Screen(_("Nothing was erased."))


def forgotten_screen() -> Screen:
    return Screen(_("Done: everything I stored about you is erased."))


def goodbye_text() -> str:
    return _("Goodbye! If you want to come back, send /link with a new code from the school.")
