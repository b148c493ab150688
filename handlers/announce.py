"""/announce: a homeroom teacher or an admin picks the audience, writes a text or sends a photo, checks the
preview and sends; the sent screen and /announce's history tell how many accounts it reached (the rest is in
bot/announce). Cancel works at every step; every button is re-checked."""

from __future__ import annotations

import contextlib
import logging

from aiogram import F, Router
from aiogram.exceptions import TelegramBadRequest
from aiogram.filters import Command, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message, ReplyParameters

from bot.announce import screens, service
from bot.announce.callbacks import AnnClassCb, AnnDraftCb, AnnHistoryCb, AnnStartCb, AnnStatusCb, AnnWhoCb
from bot.announce.drafts import Draft, Refused, read_draft
from bot.announce.states import Announce
from bot.context import AppContext
from bot.ediary.provider import ProviderError
from bot.filters import FreeInput
from bot.ui import Screen, Translator, answer_with, show, stale_button
from bot.ui.telegram import bot_of, sender_id

log = logging.getLogger(__name__)


def _t(ctx: AppContext) -> Translator:
    return Translator.current(ctx.i18n)


async def _start_screen(ctx: AppContext, user_id: int) -> Screen:
    t = _t(ctx)
    opening = await service.start(ctx, user_id)
    if opening is None:
        return Screen(screens.not_allowed(t))
    if opening.only_class is not None:
        reach = await service.reach(ctx, user_id, opening.only_class)
        if reach is not None:
            return screens.reach_screen(reach, t)
    return screens.start_screen(opening, t)


async def announce_command(message: Message, state: FSMContext, ctx: AppContext) -> None:
    await state.clear()
    try:
        screen = await _start_screen(ctx, sender_id(message))
    except ProviderError as exc:
        log.warning("announce: e-diary error for user %s: %s", sender_id(message), type(exc).__name__)
        screen = Screen(screens.outage(_t(ctx)))
    await answer_with(message, screen)


async def back_to_start(callback: CallbackQuery, state: FSMContext, ctx: AppContext) -> None:
    await state.clear()
    await show(callback, await _start_screen(ctx, sender_id(callback)))


async def class_chosen(callback: CallbackQuery, callback_data: AnnClassCb, state: FSMContext, ctx: AppContext) -> None:
    t = _t(ctx)
    reach = await service.reach(ctx, sender_id(callback), callback_data.class_name)
    if reach is None:
        await stale_button(callback, screens.audience_gone(t))
        return
    await state.clear()
    await show(callback, screens.reach_screen(reach, t))


async def audience_chosen(callback: CallbackQuery, callback_data: AnnWhoCb, state: FSMContext, ctx: AppContext) -> None:
    t = _t(ctx)
    target = await service.target(ctx, sender_id(callback), callback_data.class_name, callback_data.students)
    if target is None:
        await stale_button(callback, screens.audience_gone(t))
        return
    await state.set_state(Announce.writing)
    await state.set_data({"class": target.audience.packed_class, "students": target.audience.students_too})
    await show(callback, screens.writing_prompt(target, t))


async def draft_written(message: Message, state: FSMContext, ctx: AppContext) -> None:
    t, data, user_id = _t(ctx), await state.get_data(), sender_id(message)
    target = await service.target(ctx, user_id, data.get("class"), data.get("students"))
    sender = None if target is None else await service.preview_sender(ctx, user_id, target.audience)
    if target is None or sender is None:
        await state.clear()
        await message.answer(screens.audience_gone(t))
        return
    draft = read_draft(message)
    if isinstance(draft, Refused):
        await message.answer(screens.problem(draft, t))
        return
    preview_id = data.get("preview_id")
    if isinstance(preview_id, int):  # a new version replaces the draft: the old preview loses its buttons
        with contextlib.suppress(TelegramBadRequest):
            await bot_of(message).edit_message_reply_markup(chat_id=message.chat.id, message_id=preview_id)
    screen = screens.preview(target, sender, draft, t, album=bool(message.media_group_id))
    shown = await message.answer(
        screen.text,
        reply_markup=screen.markup,
        reply_parameters=ReplyParameters(message_id=message.message_id, allow_sending_without_reply=True),
    )
    await state.set_state(Announce.preview)
    await state.update_data(draft=draft.as_data(), preview_id=shown.message_id)


async def send_draft(callback: CallbackQuery, state: FSMContext, ctx: AppContext) -> None:
    t, data, user_id = _t(ctx), await state.get_data(), sender_id(callback)
    draft = Draft.from_data(data.get("draft"))
    if await state.get_state() != Announce.preview.state or draft is None:
        await stale_button(callback, screens.draft_gone(t))
        return
    target = await service.target(ctx, user_id, data.get("class"), data.get("students"))
    if target is None:
        await state.clear()
        await stale_button(callback, screens.audience_gone(t))
        return
    now = ctx.clock.now()
    sent = await service.send(ctx, user_id, target.audience, draft)
    if isinstance(sent, service.RateLimited):
        await callback.answer(screens.rate_limited(sent.next_allowed_at, t, ctx.settings.tz, now), show_alert=True)
        return
    await state.clear()
    if isinstance(sent, service.Sent):
        await show(callback, screens.sent_screen(sent, t, ctx.settings.tz, now, just_sent=True))
    elif isinstance(sent, service.NobodyThere):
        await show(callback, Screen(screens.nobody_there(t)))
    elif isinstance(sent, service.AlreadySent):
        await show(callback, Screen(screens.already_sent(t)))
    else:
        await stale_button(callback, screens.audience_gone(t))


async def rewrite_draft(callback: CallbackQuery, state: FSMContext, ctx: AppContext) -> None:
    t, data = _t(ctx), await state.get_data()
    if await state.get_state() != Announce.preview.state:
        await stale_button(callback, screens.draft_gone(t))
        return
    target = await service.target(ctx, sender_id(callback), data.get("class"), data.get("students"))
    if target is None:
        await state.clear()
        await stale_button(callback, screens.audience_gone(t))
        return
    await state.set_state(Announce.writing)
    await state.update_data(draft=None, preview_id=None)
    await show(callback, screens.writing_prompt(target, t))


async def cancel_button(callback: CallbackQuery, state: FSMContext, ctx: AppContext) -> None:
    await state.clear()
    await show(callback, Screen(screens.cancelled(_t(ctx))))


async def cancel_command(message: Message, state: FSMContext, ctx: AppContext) -> None:
    await state.clear()
    await message.answer(screens.cancelled(_t(ctx)))


async def delivery_status(callback: CallbackQuery, callback_data: AnnStatusCb, ctx: AppContext) -> None:
    t = _t(ctx)
    sent = await service.status(ctx, sender_id(callback), callback_data.announcement_id)
    if sent is None:
        await stale_button(callback, screens.unknown_announcement(t))
        return
    await show(callback, screens.sent_screen(sent, t, ctx.settings.tz, ctx.clock.now(), just_sent=False))


async def history(callback: CallbackQuery, callback_data: AnnHistoryCb, ctx: AppContext) -> None:
    page = await service.history(ctx, sender_id(callback), callback_data.page)
    await show(callback, screens.history_screen(page, _t(ctx), ctx.settings.tz, ctx.clock.now()))


def create_router() -> Router:
    router = Router(name="announce")
    router.message.register(announce_command, Command("announce"))
    router.message.register(cancel_command, Command("cancel"), StateFilter(Announce))
    router.message.register(draft_written, StateFilter(Announce.writing, Announce.preview), FreeInput(media=True))
    router.callback_query.register(back_to_start, AnnStartCb.filter())
    router.callback_query.register(class_chosen, AnnClassCb.filter())
    router.callback_query.register(audience_chosen, AnnWhoCb.filter())
    router.callback_query.register(send_draft, AnnDraftCb.filter(F.action == "send"))
    router.callback_query.register(rewrite_draft, AnnDraftCb.filter(F.action == "edit"))
    router.callback_query.register(cancel_button, AnnDraftCb.filter(F.action == "cancel"))
    router.callback_query.register(delivery_status, AnnStatusCb.filter())
    router.callback_query.register(history, AnnHistoryCb.filter())
    return router
