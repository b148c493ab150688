"""/invite: admins issue codes for anyone, homeroom teachers for their class's students and parents;
the codes come as chat messages or as the printable A4 sheet (an HTML document). A class's "who has not joined
yet" lists the families still waiting and issues codes for exactly them."""

from __future__ import annotations

from aiogram import Router
from aiogram.filters import Command, CommandObject
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message

from bot.context import AppContext
from bot.ediary.provider import ProviderError
from bot.invite import joining_screens, screens, service
from bot.invite.callbacks import InviteCb, JoiningCb
from bot.invite.states import PEOPLE_KEY
from bot.ui import answer_with, show, stale_button
from bot.ui.screen import replace
from bot.ui.telegram import bot_of, sender_id


async def invite(message: Message, command: CommandObject, state: FSMContext, ctx: AppContext) -> None:
    try:
        opening = await service.opening(ctx, sender_id(message), command.args)
    except ProviderError:
        await message.answer(screens.ediary_down_text())
        return
    if opening is None:
        await message.answer(screens.not_allowed_text())
        return
    if isinstance(opening, service.Named):
        await state.update_data({PEOPLE_KEY: [holder.id for holder in opening.holders]})
    await answer_with(message, screens.opening_screen(opening))


async def invite_step(callback: CallbackQuery, callback_data: InviteCb, state: FSMContext, ctx: AppContext) -> None:
    if callback_data.step == "cancel":
        await state.update_data({PEOPLE_KEY: None})
        await show(callback, screens.cancelled_screen())
        return
    named = (await state.get_data()).get(PEOPLE_KEY)
    try:
        holders = await service.step_holders(ctx, sender_id(callback), callback_data, list(named) if named else None)
    except ProviderError:
        await callback.answer(screens.ediary_down_text(), show_alert=True)
        return
    if holders == service.Refusal.NOT_ALLOWED:
        await stale_button(callback, screens.not_allowed_text())
    elif isinstance(holders, service.Refusal):
        await stale_button(callback, screens.stale_text())
    elif callback_data.step == "role":
        await show(callback, screens.role_screen(callback_data.cls))
    elif callback_data.step == "fmt":
        await show(callback, screens.format_screen(cls=callback_data.cls, role=callback_data.role))
    elif not holders:
        await show(callback, screens.nobody_screen())
    else:
        pressed = callback.message if isinstance(callback.message, Message) else None
        await show(callback, screens.progress_screen(len(holders)))  # a class takes a while: say so at once
        issued = await service.issue(ctx, bot_of(callback), sender_id(callback), holders)
        stem = callback_data.cls or callback_data.role or "people"
        await _send(callback, pressed, issued, screens.batch_title(callback_data), stem, callback_data.fmt, ctx)
        await state.update_data({PEOPLE_KEY: None})


async def joining_step(callback: CallbackQuery, callback_data: JoiningCb, ctx: AppContext) -> None:
    """Who of a class has not joined yet, and codes for exactly them (rights re-checked at every button)."""
    data = callback_data
    try:
        joining = await service.joining(ctx, sender_id(callback), data)
    except ProviderError:
        await callback.answer(screens.ediary_down_text(), show_alert=True)
        return
    if joining == service.Refusal.NOT_ALLOWED:
        await stale_button(callback, screens.not_allowed_text())
        return
    if isinstance(joining, service.Refusal):
        await stale_button(callback, screens.stale_text())
        return
    holders = joining.to_issue(renew=data.renew)
    if data.act == "list" or not holders:  # nobody left to issue for (they joined meanwhile): the list again
        tz, locale = ctx.settings.tz, ctx.i18n.current_locale
        await show(callback, joining_screens.list_screen(joining, data.page, tz=tz, locale=locale))
    elif data.act == "fmt":
        await show(callback, joining_screens.format_screen(joining, renew=data.renew, page=data.page))
    else:
        pressed = callback.message if isinstance(callback.message, Message) else None
        await show(callback, screens.progress_screen(len(holders)))
        issued = await service.issue(ctx, bot_of(callback), sender_id(callback), holders, revoke_old=data.renew)
        title = joining_screens.joining_title(data.cls)
        await _send(callback, pressed, issued, title, f"{data.cls}-not-joined", data.fmt, ctx)


async def _send(
    callback: CallbackQuery,
    pressed: Message | None,
    issued: service.Issued,
    title: str,
    file_stem: str,
    fmt: str,
    ctx: AppContext,
) -> None:
    """The codes go out as new messages (or the sheet); then the progress line becomes their summary."""
    bot, chat_id = bot_of(callback), sender_id(callback)  # a private chat: its id is the user's
    tz, locale = ctx.settings.tz, ctx.i18n.current_locale
    summary = screens.summary_text(issued, title, tz=tz, locale=locale)
    if fmt == "html":
        document, caption = screens.sheet_document(
            issued, title, file_stem, summary, i18n=ctx.i18n, locale=locale, tz=tz
        )
        await bot.send_document(chat_id, document, caption=caption)
    else:
        for chunk in screens.code_messages(issued.invitations):
            await bot.send_message(chat_id, chunk)
    done = screens.issued_screen(summary)
    if pressed is not None:
        await replace(pressed, done)
    else:  # the pressed message was too old to edit: the progress line went out as a new message
        await bot.send_message(chat_id, done.text, reply_markup=done.markup)


def create_router() -> Router:
    """A new Router with this feature's handlers (one per Dispatcher: a Router attaches to one parent)."""
    router = Router(name="invite")
    router.message.register(invite, Command("invite"))
    router.callback_query.register(invite_step, InviteCb.filter())
    router.callback_query.register(joining_step, JoiningCb.filter())
    return router
