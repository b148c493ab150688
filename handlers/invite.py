"""/invite: admins issue codes for anyone, homeroom teachers for their class's students and parents;
the codes come as chat messages or as the printable A4 sheet (an HTML document)."""

from __future__ import annotations

from aiogram import Bot, Router, html
from aiogram.filters import Command, CommandObject
from aiogram.fsm.context import FSMContext
from aiogram.types import BufferedInputFile, CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message
from aiogram.utils.i18n import gettext as _

from bot.callback_factories import InviteCb
from bot.clock import Clock
from bot.config import Settings
from bot.ediary.provider import EdiaryProvider, ProviderError
from bot.i18n import PoI18n
from bot.linking import rights
from bot.linking.issue import Invitation, issue_codes, last_valid_day
from bot.linking.people import match_class
from bot.linking.secret import code_hasher
from bot.linking.sheet import render_sheet
from bot.linking.texts import holder_details, long_date, sheet_title
from bot.linking.username import bot_username
from storage.db import Database

MESSAGE_LIMIT = 4000  # Telegram allows 4096 characters; keep a margin for the entities
PEOPLE_KEY = "invite_people"  # FSM data: the ids given to /invite, checked when they were given


def _button(text: str, **values: str) -> InlineKeyboardButton:
    return InlineKeyboardButton(text=text, callback_data=InviteCb(**values).pack())


def _cancel_row() -> list[InlineKeyboardButton]:
    return [_button(_("✖️ Cancel"), step="cancel")]


def _not_allowed() -> str:
    return _(
        "Only the school's administrators and homeroom teachers can issue codes. If you are a homeroom "
        "teacher, link your teacher account first: /link."
    )


def _stale() -> str:
    return _("This button is out of date. Send /invite again.")


async def invite(
    message: Message,
    command: CommandObject,
    state: FSMContext,
    db: Database,
    provider: EdiaryProvider,
    settings: Settings,
) -> None:
    try:
        inviter = await rights.inviter_for(db, provider, settings, message.from_user.id)
        if inviter is None:
            await message.answer(_not_allowed())
            return
        if command.args:
            await _invite_by_arguments(message, command.args, inviter, state, provider)
            return
        classes = await rights.classes_for(inviter, provider)
    except ProviderError:
        await message.answer(_("The e-diary is not answering right now. Please try again in a few minutes."))
        return
    if len(classes) == 1 and not inviter.is_admin:
        text, markup = _role_step(classes[0])
        await message.answer(text, reply_markup=markup)
        return
    buttons = [_button(cls, step="role", cls=cls) for cls in classes]
    rows = [buttons[i : i + 3] for i in range(0, len(buttons), 3)]
    if inviter.is_admin:
        rows.append([_button(_("👩‍🏫 All teachers"), step="fmt", role=rights.TEACHERS)])
    rows.append(_cancel_row())
    hint = _(
        "Whom are the codes for? Choose a class. For particular people send /invite with their e-diary ids, "
        "for example <code>/invite s01 p01</code>."
    )
    await message.answer(hint, reply_markup=InlineKeyboardMarkup(inline_keyboard=rows))


async def _invite_by_arguments(
    message: Message, args: str, inviter: rights.Inviter, state: FSMContext, provider: EdiaryProvider
) -> None:
    words = args.replace(",", " ").split()
    class_name = match_class(args, await provider.list_classes()) if len(words) <= 2 else None
    if class_name is not None:
        if not inviter.may_invite_class(class_name, "all"):
            await message.answer(_refused_text(inviter, [args.strip()]))
            return
        text, markup = _role_step(class_name)
        await message.answer(text, reply_markup=markup)
        return
    person_ids = list(dict.fromkeys(words))
    holders, refused = await rights.people_holders(inviter, provider, person_ids)
    if refused:
        await message.answer(_refused_text(inviter, refused))
        return
    await state.update_data({PEOPLE_KEY: [h.id for h in holders]})
    names = "\n".join(f"• {html.quote(h.person.full_name)} — {html.quote(holder_details(h, _))}" for h in holders)
    await message.answer(
        _("Codes for:") + "\n" + names + "\n\n" + _format_question(), reply_markup=_format_markup(cls="", role="")
    )


def _refused_text(inviter: rights.Inviter, refused: list[str]) -> str:
    what = html.quote(", ".join(refused))
    if inviter.is_admin:
        return _("I don't know {what}. Ids look like s01 or p01; `ediary-bot people` lists everyone.").format(what=what)
    return _(
        "I can't issue codes for {what}. You can issue codes for the students of {classes} and their parents."
    ).format(what=what, classes=", ".join(inviter.homeroom_classes))


def _role_step(class_name: str) -> tuple[str, InlineKeyboardMarkup]:
    rows = [
        [
            _button(_("Students"), step="fmt", cls=class_name, role="student"),
            _button(_("Parents"), step="fmt", cls=class_name, role="parent"),
        ],
        [_button(_("Students and parents"), step="fmt", cls=class_name, role="all")],
        _cancel_row(),
    ]
    return (
        _("Codes for class {cls}: for whom?").format(cls=html.quote(class_name)),
        InlineKeyboardMarkup(inline_keyboard=rows),
    )


def _format_question() -> str:
    return _("How should I give you the codes?")


def _format_markup(*, cls: str, role: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        inline_keyboard=[
            [_button(_("💬 Here in the chat"), step="go", cls=cls, role=role, fmt="msg")],
            [_button(_("🖨 Printable sheet (HTML)"), step="go", cls=cls, role=role, fmt="html")],
            _cancel_row(),
        ]
    )


async def invite_step(
    callback: CallbackQuery,
    callback_data: InviteCb,
    state: FSMContext,
    db: Database,
    provider: EdiaryProvider,
    settings: Settings,
    clock: Clock,
    bot: Bot,
    i18n: PoI18n,
) -> None:
    if callback_data.step == "cancel":
        await state.update_data({PEOPLE_KEY: None})
        await callback.message.edit_text(_("Cancelled: no codes were issued."))
        await callback.answer()
        return
    try:
        inviter = await rights.inviter_for(db, provider, settings, callback.from_user.id)
        holders = None
        if inviter is not None:
            holders = await _holders_for(inviter, callback_data, state, provider)
    except ProviderError:
        await callback.answer(
            _("The e-diary is not answering right now. Please try again in a few minutes."), show_alert=True
        )
        return
    if inviter is None or holders is None or callback_data.step not in ("role", "fmt", "go"):
        await callback.answer(_stale() if inviter is not None else _not_allowed(), show_alert=True)
        return
    if callback_data.step == "role":
        text, markup = _role_step(callback_data.cls)
        await callback.message.edit_text(text, reply_markup=markup)
    elif callback_data.step == "fmt":
        await callback.message.edit_text(
            _format_question(), reply_markup=_format_markup(cls=callback_data.cls, role=callback_data.role)
        )
    elif not holders:
        await callback.message.edit_text(_("There is nobody to issue codes for."))
    elif callback_data.fmt in ("msg", "html"):
        await callback.message.edit_text(
            _("Issuing {n} code…", "Issuing {n} codes…", len(holders)).format(n=len(holders))
        )
        await _issue_and_send(callback, callback_data, holders, db, settings, clock, bot, i18n)
        await state.update_data({PEOPLE_KEY: None})
    else:
        await callback.answer(_stale(), show_alert=True)
        return
    await callback.answer()


async def _holders_for(inviter: rights.Inviter, data: InviteCb, state: FSMContext, provider: EdiaryProvider):
    """The people this step is about, re-checked against the inviter's rights; None when refused."""
    if data.step == "role":
        return [] if data.cls in await provider.list_classes() and inviter.may_invite_class(data.cls, "all") else None
    if data.cls or data.role:
        return await rights.batch_holders(inviter, provider, data.cls, data.role)
    person_ids = (await state.get_data()).get(PEOPLE_KEY)
    if not person_ids:
        return None
    holders, refused = await rights.people_holders(inviter, provider, list(person_ids))
    return None if refused or not holders else holders


async def _issue_and_send(
    callback: CallbackQuery,
    data: InviteCb,
    holders,
    db: Database,
    settings: Settings,
    clock: Clock,
    bot: Bot,
    i18n: PoI18n,
) -> None:
    now, tz, locale = clock.now(), settings.tz, i18n.current_locale
    username = await bot_username(settings, bot)
    invitations = await issue_codes(
        db,
        code_hasher(settings),
        holders,
        bot_username=username,
        now=now,
        ttl_days=settings.code_ttl_days,
        tz=tz,
        issued_by=callback.from_user.id,
        via="bot",
    )
    title = sheet_title(_, class_name=data.cls or None, role=data.role or None)
    until = long_date(last_valid_day(invitations[0].expires_at, tz), locale)
    summary = _(
        "{title}: {n} code, valid through {date}.", "{title}: {n} codes, valid through {date}.", len(invitations)
    ).format(title=html.quote(title), n=len(invitations), date=until)
    if data.fmt == "html":
        sheet = render_sheet(
            invitations, title=title, bot_username=username, i18n=i18n, locale=locale, tz=tz, issued_at=now
        )
        name = f"codes-{data.cls or data.role or 'people'}-{now.astimezone(tz).date().isoformat()}.html"
        await callback.message.answer_document(
            BufferedInputFile(sheet.encode("utf-8"), filename=name),
            caption=summary
            + "\n"
            + _(
                "Print it on A4, cut along the dashed lines and give each person their own card. Each code works once."
            ),
        )
    else:
        for chunk in _chunks([_entry(inv) for inv in invitations]):
            await callback.message.answer(chunk)
    await callback.message.edit_text(summary + "\n" + _("Give each person only their own code: it works once."))


def _entry(inv: Invitation) -> str:
    holder = inv.holder
    lines = [f"<b>{html.quote(holder.person.full_name)}</b> — {html.quote(holder_details(holder, _))}"]
    if holder.children:  # so the teacher knows whose parent this is
        names = ", ".join(f"{c.person.short_name} ({c.class_name})" for c in holder.children)
        lines.append(_("children: {names}").format(names=html.quote(names)))
    lines += [f"<code>{inv.display_code}</code>", html.quote(inv.link)]
    return "\n".join(lines)


def _chunks(entries: list[str]) -> list[str]:
    chunks, current = [], ""
    for entry in entries:
        if current and len(current) + 2 + len(entry) > MESSAGE_LIMIT:
            chunks.append(current)
            current = ""
        current = f"{current}\n\n{entry}" if current else entry
    if current:
        chunks.append(current)
    return chunks


def create_router() -> Router:
    """A new Router with this feature's handlers (one per Dispatcher: a Router attaches to one parent)."""
    router = Router(name="invite")
    router.message.register(invite, Command("invite"))
    router.callback_query.register(invite_step, InviteCb.filter())
    return router
