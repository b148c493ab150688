"""The /announce screens and answers, in the author's language (a Translator: the preview shows the header as
render.py writes it for recipients)."""

from __future__ import annotations

from datetime import datetime, tzinfo

from aiogram import html
from aiogram.filters.callback_data import CallbackData
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup

from bot.announce.audience import WHOLE_SCHOOL, Audience
from bot.announce.callbacks import AnnClassCb, AnnDraftCb, AnnHistoryCb, AnnStartCb, AnnStatusCb, AnnWhoCb
from bot.announce.drafts import Draft, DraftProblem, Refused
from bot.announce.render import addressed_to, signature
from bot.announce.service import DAILY_LIMIT, HISTORY_PER_PAGE, HistoryPage, Reach, Sent, Start, Target
from bot.delivery.split import shorten
from bot.ui import Screen, Translator

PREVIEW_EXCERPT = 3000  # a long text is shortened in its preview (the preview must fit one message)
HISTORY_EXCERPT = 120
CLASSES_PER_ROW = 4


def _button(text: str, data: CallbackData) -> InlineKeyboardButton:
    return InlineKeyboardButton(text=text, callback_data=data.pack())


def _keyboard(rows: list[list[InlineKeyboardButton]]) -> InlineKeyboardMarkup | None:
    rows = [row for row in rows if row]
    return InlineKeyboardMarkup(inline_keyboard=rows) if rows else None


def _cancel(t: Translator) -> InlineKeyboardButton:
    return _button(t.gettext("✖️ Cancel"), AnnDraftCb(action="cancel"))


def not_allowed(t: Translator) -> str:
    return t.gettext(
        "📢 Announcements are sent by homeroom teachers, to their class, and by the school's administrators. "
        "To write to a teacher, use /message."
    )


def start_screen(start: Start, t: Translator) -> Screen:
    rows = []
    if start.announcer.is_admin:
        rows.append([_button(t.gettext("🏫 The whole school"), AnnClassCb(class_name=WHOLE_SCHOOL))])
    classes = [_button(name, AnnClassCb(class_name=name)) for name in start.classes]
    rows += [classes[i : i + CLASSES_PER_ROW] for i in range(0, len(classes), CLASSES_PER_ROW)]
    rows.append([_button(t.gettext("📜 Sent announcements"), AnnHistoryCb(page=0))])
    rows.append([_cancel(t)])
    return Screen(t.gettext("📢 <b>New announcement</b>\nWhom is it for?"), _keyboard(rows))


def reach_screen(reach: Reach, t: Translator) -> Screen:
    packed = reach.class_name or WHOLE_SCHOOL
    parents, everyone = Audience(reach.class_name, False), Audience(reach.class_name, True)
    lines = [
        t.gettext("📢 <b>New announcement</b>\nWho should get it?"),
        "",
        f"👪 {addressed_to(t, parents)}: {_accounts(t, reach.parents)}",
        f"👪🎒 {addressed_to(t, everyone)}: {_accounts(t, reach.with_students)}",
    ]
    rows = [
        [_button(t.gettext("👪 Parents"), AnnWhoCb(class_name=packed, students=False))],
        [_button(t.gettext("👪🎒 Parents and students"), AnnWhoCb(class_name=packed, students=True))],
    ]
    back = [_button(t.gettext("⬅️ Back"), AnnStartCb())] if reach.can_go_back else []
    rows.append([_button(t.gettext("📜 Sent announcements"), AnnHistoryCb(page=0))] if not reach.can_go_back else [])
    rows.append([*back, _cancel(t)])
    return Screen("\n".join(lines), _keyboard(rows))


def _accounts(t: Translator, n: int) -> str:
    return t.ngettext("{n} account in the bot", "{n} accounts in the bot", n).format(n=n)


def writing_prompt(target: Target, t: Translator) -> Screen:
    lines = [
        t.gettext("✍️ Write the announcement."),
        f"{addressed_to(t, target.audience)}: {_accounts(t, target.accounts)}.",
        "",
        t.gettext("Send its text (up to 4096 characters) or a photo with a caption (up to 1024 characters)."),
    ]
    back = _button(t.gettext("⬅️ Back"), AnnClassCb(class_name=target.audience.packed_class))
    return Screen("\n".join(lines), _keyboard([[back, _cancel(t)]]))


def preview(target: Target, sender: tuple[str, str | None], draft: Draft, t: Translator, *, album: bool) -> Screen:
    audience = target.audience
    lines = [
        t.gettext("<b>Check the announcement</b>"),
        f"{addressed_to(t, audience)}: {_accounts(t, target.accounts)}.",
        "",
        f"<b>{signature(t, sender[0], sender[1], audience.class_name)}</b>",
    ]
    if draft.kind == "photo":
        lines.append(t.gettext("📷 The photo above"))
    if draft.body:
        lines.append(html.quote(shorten(draft.body, PREVIEW_EXCERPT)))
        if len(draft.body) > PREVIEW_EXCERPT:
            lines.append(
                t.gettext("(shortened here: the whole text of {n} characters will be sent)").format(n=len(draft.body))
            )
    if album:
        lines += ["", t.gettext("Only one photo goes with an announcement: the others were not taken.")]
    if not target.accounts:
        lines += ["", t.gettext("Nobody in this audience has joined the bot yet, so there is no one to send it to.")]
        return Screen("\n".join(lines), _keyboard([[_cancel(t)]]))
    lines += ["", t.gettext("Send it?")]
    rows = [
        [
            _button(t.gettext("✅ Send"), AnnDraftCb(action="send")),
            _button(t.gettext("✏️ Rewrite"), AnnDraftCb(action="edit")),
        ],
        [_cancel(t)],
    ]
    return Screen("\n".join(lines), _keyboard(rows))


def sent_screen(sent: Sent, t: Translator, tz: tzinfo, now: datetime, *, just_sent: bool) -> Screen:
    announcement, delivery = sent.announcement, sent.delivery
    audience = Audience(announcement.class_name, announcement.students_too)
    n = announcement.recipients
    if just_sent:
        title = t.ngettext(
            "✅ The announcement is on its way to {n} account.", "✅ The announcement is on its way to {n} accounts.", n
        )
    else:
        title = t.ngettext("📢 The announcement went to {n} account.", "📢 The announcement went to {n} accounts.", n)
    lines = [
        title.format(n=n),
        f"{addressed_to(t, audience)} · {_when(announcement.created_at, tz, now)}",
        "",
        _delivery_line(sent, t),
    ]
    if delivery.waiting and not just_sent:
        lines.append(t.gettext("Those outside their notification hours get it when those hours end."))
    rows = [
        [_button(t.gettext("🔄 Delivery status"), AnnStatusCb(announcement_id=announcement.id))],
        [_button(t.gettext("📜 Sent announcements"), AnnHistoryCb(page=0))],
    ]
    return Screen("\n".join(lines), _keyboard(rows))


def _delivery_line(sent: Sent, t: Translator) -> str:
    delivery, n = sent.delivery, sent.announcement.recipients
    line = t.ngettext("Delivered: {delivered} of {n}", "Delivered: {delivered} of {n}", n).format(
        delivered=delivery.delivered, n=n
    )
    if delivery.waiting:
        line += "; " + t.gettext("waiting: {n}").format(n=delivery.waiting)
    if delivery.unreachable:
        line += "; " + t.gettext("unreachable (blocked the bot): {n}").format(n=delivery.unreachable)
    return line


def _when(moment: datetime, tz: tzinfo, now: datetime) -> str:
    local = moment.astimezone(tz)
    return local.strftime("%H:%M") if local.date() == now.astimezone(tz).date() else local.strftime("%d.%m %H:%M")


def history_screen(history: HistoryPage, t: Translator, tz: tzinfo, now: datetime) -> Screen:
    if not history.entries:
        return Screen(t.gettext("📜 You have not sent any announcements yet. Start one with /announce."))
    title = t.gettext("📜 <b>Your announcements</b>")
    if history.pages > 1:
        title += " " + t.gettext("(page {page} of {pages})").format(page=history.page + 1, pages=history.pages)
    lines, rows = [title], []
    for number, sent in enumerate(history.entries, start=history.page * HISTORY_PER_PAGE + 1):
        announcement = sent.announcement
        audience = Audience(announcement.class_name, announcement.students_too)
        excerpt = ("📷 " if announcement.kind == "photo" else "") + shorten(announcement.body, HISTORY_EXCERPT)
        lines += [
            "",
            f"{number}. <b>{_when(announcement.created_at, tz, now)}</b> · {addressed_to(t, audience)}",
            html.quote(excerpt),
            _delivery_line(sent, t),
        ]
        rows.append(
            [
                _button(
                    f"{number}. 🔄 {_when(announcement.created_at, tz, now)}",
                    AnnStatusCb(announcement_id=announcement.id),
                )
            ]
        )
    nav = []
    if history.page + 1 < history.pages:
        nav.append(_button(t.gettext("⬅️ Earlier"), AnnHistoryCb(page=history.page + 1)))
    if history.page > 0:
        nav.append(_button(t.gettext("Later ➡️"), AnnHistoryCb(page=history.page - 1)))
    return Screen("\n".join(lines), _keyboard([*rows, nav]))


# --- plain answers -----------------------------------------------------------------------------------


def rate_limited(next_at: datetime, t: Translator, tz: tzinfo, now: datetime) -> str:
    return t.ngettext(
        "You have sent {n} announcement in the last 24 hours, which is the limit. You can send this one at {when}: "
        "your draft is kept, press «Send» again then.",
        "You have sent {n} announcements in the last 24 hours, which is the limit. You can send this one at {when}: "
        "your draft is kept, press «Send» again then.",
        DAILY_LIMIT,
    ).format(n=DAILY_LIMIT, when=_when(next_at, tz, now))


def problem(refused: Refused, t: Translator) -> str:
    if refused.problem == DraftProblem.TEXT_TOO_LONG:
        return t.gettext(
            "The announcement is {n} characters long, and the limit is 4096. Please shorten it: nothing has been sent."
        ).format(n=refused.length)
    if refused.problem == DraftProblem.CAPTION_TOO_LONG:
        return t.gettext(
            "The caption is {n} characters long, and a caption may be up to 1024. Please shorten it, or send the "
            "text without the photo."
        ).format(n=refused.length)
    if refused.problem == DraftProblem.EMPTY:
        return t.gettext("The announcement is empty. Please write some text.")
    return t.gettext("An announcement is a text or a photo with a caption. Please send one of those.")


def cancelled(t: Translator) -> str:
    return t.gettext("Cancelled: nothing was sent.")


def nobody_there(t: Translator) -> str:
    return t.gettext("Nobody in this audience has joined the bot yet, so there is no one to send it to.")


def already_sent(t: Translator) -> str:
    return t.gettext("This announcement has already been sent.")


def draft_gone(t: Translator) -> str:
    return t.gettext("This draft is no longer here: it was sent or cancelled. Start again with /announce.")


def audience_gone(t: Translator) -> str:
    return t.gettext("You cannot send announcements to this audience. Start again with /announce.")


def unknown_announcement(t: Translator) -> str:
    return t.gettext("This announcement is not available to you.")


def outage(t: Translator) -> str:
    return t.gettext("The e-diary did not answer, so I cannot tell who is in this audience now. Please try again.")
