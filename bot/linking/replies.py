"""What the bot says while linking: one clear answer per verdict, the confirmation, /me. Called inside a
handler (the user's language is active for `_`)."""

from __future__ import annotations

import math
from datetime import datetime, tzinfo

from aiogram import html
from aiogram.utils.i18n import gettext as _

from bot.linking.account import Identity
from bot.linking.codes import EXAMPLE_CODE
from bot.linking.issue import last_valid_day
from bot.linking.people import Holder
from bot.linking.redeem import Redemption, Verdict
from bot.linking.texts import holder_details, holder_html, local_time, long_date, role_label


def ask_for_code() -> str:
    return _(
        "Send me the code from the card the school gave you, for example <code>{example}</code>. "
        "Capital or small letters, with or without dashes — all fine."
    ).format(example=EXAMPLE_CODE)


def confirm_prompt(holder: Holder) -> str:
    return "\n".join(
        [
            _("This code is for:"),
            holder_html(holder, _),
            "",
            _("Link this Telegram account to them? From then on you will see their marks and timetable here."),
        ]
    )


def linked(holder: Holder) -> str:
    text = _("✅ Done! This account is now linked to:") + "\n" + holder_html(holder, _)
    if holder.children:
        text += "\n\n" + _("New marks and timetable changes of the children will come here.")
    return text


def after_link_hint() -> str:
    return _("Use the menu below. /me shows what this account is linked to; /link adds another person.")


def verdict(result: Redemption, *, now: datetime, tz: tzinfo, locale: str) -> str:
    """The answer to any outcome other than READY and LINKED."""
    v = result.verdict
    if v == Verdict.MALFORMED:
        return _(
            "This doesn't look like a code. A code has 12 letters and digits, like <code>{example}</code>; "
            "the letters O, I, L and the digits 0, 1 never occur in it."
        ).format(example=EXAMPLE_CODE)
    if v == Verdict.BLOCKED:
        return _blocked(result.retry_at, now=now, tz=tz, locale=locale)
    if v == Verdict.UNKNOWN:
        text = _("I don't know this code. Please check it letter by letter against the card and send it again.")
    elif v == Verdict.EXPIRED:
        day = long_date(last_valid_day(result.code.expires_at, tz), locale)  # type: ignore[union-attr]
        text = _(
            "This code expired: it was valid through {date}. Please ask the school (for example your "
            "homeroom teacher) for a new one."
        ).format(date=day)
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
            "You have already used this code: this account was linked to {name} with it. Each code works "
            "only once — if you unlinked since, please ask the school for a new one."
        ).format(name=name)
    elif v == Verdict.ALREADY_LINKED:
        text = "\n".join(
            [
                _("This account is already linked to:"),
                holder_html(result.holder, _),  # type: ignore[arg-type]
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
    elif result.attempts_left is not None and result.attempts_left <= 2:
        text += "\n\n" + _(
            "{n} more attempt before a 15-minute pause.",
            "{n} more attempts before a 15-minute pause.",
            result.attempts_left,
        ).format(n=result.attempts_left)
    return text


def _blocked(retry_at: datetime | None, *, now: datetime, tz: tzinfo, locale: str) -> str:
    assert retry_at is not None
    minutes = max(1, math.ceil((retry_at - now).total_seconds() / 60))
    return _(
        "Too many wrong codes. To keep accounts safe I won't check codes for a while: please try again at "
        "{time} (in {minutes})."
    ).format(time=local_time(retry_at, tz, locale), minutes=_("{n} minute", "{n} minutes", minutes).format(n=minutes))


def provider_down() -> str:
    return _(
        "The e-diary is not answering right now. Your code is safe and still unused: please try again in a few minutes."
    )


def me(items: list[Identity], answered: bool) -> str:
    if not items:
        return _("This account is not linked to anyone yet. Send /link and the code from the school.")
    lines = [_("<b>This account is linked to:</b>")]
    for item in items:
        if item.holder is not None:
            lines.append("")
            lines.append(holder_html(item.holder, _))
        else:
            lines.append("")
            lines.append(_("{role} (the e-diary doesn't show details now)").format(role=role_label(item.role, _)))
    if not answered:
        lines += ["", _("The e-diary is not answering right now, so some details are missing.")]
    lines += ["", _("Add another person: /link. Remove one: /unlink. Erase everything: /forget.")]
    return "\n".join(lines)


def identity_label(item: Identity) -> str:
    """A short button label: 'Мария Иванова — parent'."""
    name = item.holder.person.short_name if item.holder is not None else item.person_id
    return f"{name} — {role_label(item.role, _)}"


def identity_line(item: Identity) -> str:
    if item.holder is None:
        return html.quote(item.person_id)
    return f"<b>{html.quote(item.holder.person.full_name)}</b> ({html.quote(holder_details(item.holder, _))})"
