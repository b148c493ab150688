"""The printable invitation sheet: an A4 HTML page, one cut-out card per person with name, class, code,
link and a QR code of the link (segno, inline SVG, so the file is self-contained and prints sharply).
Made for the bot's /invite and for `ediary-bot invite --html`, so it takes its language explicitly."""

from __future__ import annotations

from datetime import datetime, tzinfo
from html import escape
from typing import TYPE_CHECKING

import segno
from babel.dates import format_date

from bot.codes.holder import Gettext, children_lines, holder_details
from bot.codes.validity import valid_through
from bot.invite.issue import Invitation

if TYPE_CHECKING:
    from bot.i18n import PoI18n

QR_ERROR = "m"  # 15% of the symbol may be smudged or folded and still scan

_STYLE = """
@page { size: A4; margin: 10mm; }
* { box-sizing: border-box; }
body { font-family: "PT Sans", "Segoe UI", "DejaVu Sans", Arial, sans-serif; margin: 0; color: #111; }
header { margin: 0 0 3mm; font-size: 9pt; color: #444; }
header h1 { font-size: 13pt; margin: 0 0 1mm; color: #111; }
.cards { display: grid; grid-template-columns: 1fr 1fr; }
.card { height: 64mm; padding: 3mm 4mm; border: 1px dashed #999; overflow: hidden;
        break-inside: avoid; page-break-inside: avoid; font-size: 8pt; line-height: 1.25; }
.top { display: flex; gap: 3mm; height: 31mm; overflow: hidden; }
.qr { flex: 0 0 31mm; }
.qr svg { width: 31mm; height: 31mm; display: block; }
.who { flex: 1; min-width: 0; }
p, ul { margin: 0 0 0.8mm; }
.name { font-size: 10.5pt; font-weight: bold; }
.children { padding-left: 3.5mm; }
.school { color: #555; }
.code { font-family: "DejaVu Sans Mono", Consolas, monospace; font-size: 14pt; font-weight: bold;
        letter-spacing: 0.3mm; white-space: nowrap; margin: 1.5mm 0 0.5mm; }
.link { font-family: "DejaVu Sans Mono", Consolas, monospace; font-size: 6.5pt; word-break: break-all; }
.how, .expires { font-size: 7.5pt; color: #333; }
.expires { font-weight: bold; }
@media screen { body { max-width: 190mm; margin: 10mm auto; } }
"""


def qr_svg(link: str) -> str:
    """The QR code of `link` as inline SVG (scales with CSS; quiet zone of 4 modules as the standard asks)."""
    return segno.make_qr(link, error=QR_ERROR).svg_inline(border=4, omitsize=True, svgclass="qr-code")


def render_sheet(
    invitations: list[Invitation],
    *,
    title: str,
    bot_username: str,
    i18n: PoI18n,
    locale: str,
    tz: tzinfo,
    issued_at: datetime,
) -> str:
    def gettext(message: str) -> str:
        return i18n.gettext(message, locale=locale)

    cards = "\n".join(_card(inv, bot_username, gettext, locale, tz) for inv in invitations)
    heading = gettext("Codes to link Telegram to the e-diary")
    subtitle = gettext("{title}, issued {date}. Each code works once. Keep the cards private.").format(
        title=title, date=format_date(issued_at.astimezone(tz).date(), format="long", locale=locale)
    )
    return (
        f'<!DOCTYPE html>\n<html lang="{escape(locale)}">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{escape(heading)} — {escape(title)}</title>\n<style>{_STYLE}</style>\n</head>\n<body>\n"
        f"<header><h1>{escape(heading)}</h1><div>{escape(subtitle)}</div></header>\n"
        f'<main class="cards">\n{cards}\n</main>\n</body>\n</html>\n'
    )


def _card(inv: Invitation, bot_username: str, gettext: Gettext, locale: str, tz: tzinfo) -> str:
    holder = inv.holder
    children = ""
    if holder.children:
        items = "".join(f"<li>{escape(line)}</li>" for line in children_lines(holder))
        children = f'<ul class="children">{items}</ul>'
    school = f'<p class="school">{escape(holder.school)}</p>' if holder.school else ""
    how = gettext(
        "Scan the QR code with your phone's camera or open the link. Or send {bot} the command /link and this code."
    ).format(bot="@" + bot_username)
    expires = gettext("Valid through {date}.").format(date=valid_through(inv.expires_at, tz, locale))
    return (
        f'<section class="card" data-person="{escape(holder.id)}">\n'
        f'<div class="top">\n<div class="qr">{qr_svg(inv.link)}</div>\n'
        f'<div class="who">\n<p class="name">{escape(holder.person.full_name)}</p>\n'
        f'<p class="details">{escape(holder_details(holder, gettext))}</p>\n{children}{school}\n</div>\n</div>\n'
        f'<p class="code">{escape(inv.display_code)}</p>\n'
        f'<p class="link">{escape(inv.link)}</p>\n'
        f'<p class="how">{escape(how)}</p>\n<p class="expires">{escape(expires)}</p>\n</section>'
    )


def sheet_title(gettext: Gettext, *, class_name: str | None = None, role: str | None = None) -> str:
    """What a batch of codes is for: 'Class 5А: parents', 'Teachers', 'Personal codes' (also the chat's summary)."""
    if class_name is None:
        return gettext("Teachers") if role == "teacher" else gettext("Personal codes")
    if role == "student":
        return gettext("Class {cls}: students").format(cls=class_name)
    if role == "parent":
        return gettext("Class {cls}: parents").format(cls=class_name)
    return gettext("Class {cls}: students and parents").format(cls=class_name)
