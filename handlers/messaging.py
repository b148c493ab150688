"""/message, /inbox and answering: the router of messaging (the rest is in bot/messaging).

/message: a parent picks a child (if several), one of the child's teachers, writes, checks and sends; a student
does the same for their own teachers; a teacher picks a class and a student, and writes to the student's parents.
An answer comes by the «Reply» button or by a Telegram reply to a relayed message; /inbox lists the
conversations, a thread's history opens a page at a time, a teacher may mute one.
"""

from __future__ import annotations

import contextlib

from aiogram import F, Router
from aiogram.exceptions import TelegramBadRequest
from aiogram.filters import Command, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State
from aiogram.types import CallbackQuery, Message, ReplyParameters

from bot.context import AppContext
from bot.filters import FreeInput, MenuButton
from bot.messaging import answers, outreach, outreach_screens, screens, service
from bot.messaging.callbacks import (
    MsgChildCb,
    MsgClassCb,
    MsgClassesCb,
    MsgDraftCb,
    MsgInboxCb,
    MsgMuteCb,
    MsgOpenCb,
    MsgPupilCb,
    MsgReplyCb,
    MsgStartCb,
    MsgTeacherCb,
    MsgThreadCb,
    MsgToParentsCb,
)
from bot.messaging.drafts import Draft, Refused, read_draft
from bot.messaging.filters import RepliedThread
from bot.messaging.render import send_now
from bot.messaging.states import Compose, Replying, ToParents
from bot.ui import Screen, Translator, answer_with, show, stale_button
from bot.ui.menu import MENU_INBOX, MENU_MESSAGE
from bot.ui.telegram import bot_of, sender_id


def _tr(ctx: AppContext) -> Translator:
    return Translator.current(ctx.i18n)


async def _send_below(callback: CallbackQuery, screen: Screen) -> None:
    """A new message in the (private) chat, under the pressed one, which stays as it is."""
    await bot_of(callback).send_message(sender_id(callback), screen.text, reply_markup=screen.markup)


# --- /message ------------------------------------------------------------------------------------


async def start_message(message: Message, state: FSMContext, ctx: AppContext) -> None:
    await state.clear()
    start = await service.compose_start(ctx, sender_id(message))
    await answer_with(message, screens.compose_start(start, _tr(ctx)))


async def back_to_start(callback: CallbackQuery, state: FSMContext, ctx: AppContext) -> None:
    await state.clear()
    start = await service.compose_start(ctx, sender_id(callback))
    await show(callback, screens.compose_start(start, _tr(ctx)))


async def child_chosen(callback: CallbackQuery, callback_data: MsgChildCb, state: FSMContext, ctx: AppContext) -> None:
    tr = _tr(ctx)
    choice = await service.student_choice(ctx, sender_id(callback), callback_data.student)
    if choice is None:
        await stale_button(callback, answers.student_unavailable(tr))
        return
    await state.clear()
    await show(callback, screens.teacher_picker(choice.student, choice.teachers, tr, can_go_back=choice.several))


async def teacher_chosen(
    callback: CallbackQuery, callback_data: MsgTeacherCb, state: FSMContext, ctx: AppContext
) -> None:
    tr = _tr(ctx)
    seat = await service.new_thread(ctx, sender_id(callback), callback_data.student, callback_data.teacher)
    if seat is None:
        await stale_button(callback, answers.teacher_unavailable(tr))
        return
    await state.set_state(Compose.writing)
    await state.set_data({"student": seat.thread.student_id, "teacher": seat.thread.teacher_id})
    await show(callback, screens.writing_prompt(seat.thread, tr, reply=False))


async def cancel_command(message: Message, state: FSMContext, ctx: AppContext) -> None:
    await state.clear()
    await message.answer(answers.cancelled(_tr(ctx)))


async def draft_written(message: Message, state: FSMContext, ctx: AppContext) -> None:
    tr, data = _tr(ctx), await state.get_data()
    seat = await service.new_thread(ctx, sender_id(message), data.get("student"), data.get("teacher"))
    if seat is None:
        await state.clear()
        await message.answer(answers.teacher_gone(tr))
        return
    draft = read_draft(message)
    if isinstance(draft, Refused):
        await message.answer(answers.problem_text(draft, tr))
        return
    screen = screens.preview(seat.thread, draft, tr, album=bool(message.media_group_id))
    await _show_preview(message, state, draft, screen, Compose.preview)


async def _show_preview(message: Message, state: FSMContext, draft: Draft, screen: Screen, preview: State) -> None:
    """The preview under the draft; a new version replaces the draft, and the old preview loses its buttons."""
    preview_id = (await state.get_data()).get("preview_id")
    if isinstance(preview_id, int):
        with contextlib.suppress(TelegramBadRequest):
            await bot_of(message).edit_message_reply_markup(chat_id=message.chat.id, message_id=preview_id)
    shown = await message.answer(
        screen.text,
        reply_markup=screen.markup,
        reply_parameters=ReplyParameters(message_id=message.message_id, allow_sending_without_reply=True),
    )
    await state.set_state(preview)
    await state.update_data(draft=draft.as_data(), preview_id=shown.message_id)


async def send_draft(callback: CallbackQuery, state: FSMContext, ctx: AppContext) -> None:
    tr, data = _tr(ctx), await state.get_data()
    draft = Draft.from_data(data.get("draft"))
    if await state.get_state() != Compose.preview.state or draft is None:
        await stale_button(callback, answers.draft_gone(tr))
        return
    seat = await service.new_thread(ctx, sender_id(callback), data.get("student"), data.get("teacher"))
    if seat is None:
        await state.clear()
        await stale_button(callback, answers.teacher_gone(tr))
        return
    now = ctx.clock.now()
    sent = await service.send(ctx, seat, sender_id(callback), draft)
    if isinstance(sent, service.RateLimited):
        text = answers.rate_limit_text(sent.next_allowed_at, tr, ctx.settings.tz, now, draft_kept=True)
        await callback.answer()
        await _send_below(callback, Screen(text))
        return
    await state.clear()
    await show(callback, Screen(answers.outcome_text(sent, tr, ctx.settings.tz, now, to_teacher=True)))


async def rewrite_draft(callback: CallbackQuery, state: FSMContext, ctx: AppContext) -> None:
    tr, data = _tr(ctx), await state.get_data()
    seat = await service.new_thread(ctx, sender_id(callback), data.get("student"), data.get("teacher"))
    if await state.get_state() != Compose.preview.state or seat is None:
        await stale_button(callback, answers.draft_gone(tr))
        return
    await state.set_state(Compose.writing)
    await state.update_data(draft=None, preview_id=None)
    await show(callback, screens.writing_prompt(seat.thread, tr, reply=False))


async def cancel_draft(callback: CallbackQuery, state: FSMContext, ctx: AppContext) -> None:
    await state.clear()
    await show(callback, Screen(answers.cancelled(_tr(ctx))))


# --- a teacher writes to a student's parents --------------------------------------------------------


async def classes_pressed(callback: CallbackQuery, state: FSMContext, ctx: AppContext) -> None:
    start = await service.compose_start(ctx, sender_id(callback))
    if not start.teacher_classes:
        await stale_button(callback, answers.class_unavailable(_tr(ctx)))
        return
    await state.clear()
    screen = outreach_screens.class_picker(start.teacher_classes, _tr(ctx), family_too=bool(start.students))
    await show(callback, screen)


async def class_pressed(callback: CallbackQuery, callback_data: MsgClassCb, state: FSMContext, ctx: AppContext) -> None:
    tr = _tr(ctx)
    pupils = await outreach.class_pupils(ctx, sender_id(callback), callback_data.class_name)
    if pupils is None:
        await stale_button(callback, answers.class_unavailable(tr))
        return
    await state.clear()
    await show(callback, outreach_screens.pupil_picker(callback_data.class_name, pupils, tr))


async def pupil_pressed(callback: CallbackQuery, callback_data: MsgPupilCb, state: FSMContext, ctx: AppContext) -> None:
    tr = _tr(ctx)
    reach = await outreach.outreach(ctx, sender_id(callback), callback_data.student)
    if reach is None:
        await stale_button(callback, answers.student_unavailable(tr))
        return
    await state.clear()
    await show(callback, outreach_screens.parents_screen(reach, tr))


async def write_to_parents(
    callback: CallbackQuery, callback_data: MsgToParentsCb, state: FSMContext, ctx: AppContext
) -> None:
    tr = _tr(ctx)
    reach = await outreach.outreach(ctx, sender_id(callback), callback_data.student)
    if reach is None or not reach.parents:
        await stale_button(callback, answers.student_unavailable(tr))
        return
    await state.set_state(ToParents.writing)
    await state.set_data({"student": reach.student.id})
    await show(callback, outreach_screens.writing_prompt(reach, tr))


async def parents_draft_written(message: Message, state: FSMContext, ctx: AppContext) -> None:
    tr = _tr(ctx)
    reach = await outreach.outreach(ctx, sender_id(message), (await state.get_data()).get("student"))
    if reach is None or not reach.parents:
        await state.clear()
        await message.answer(answers.student_gone(tr))
        return
    draft = read_draft(message)
    if isinstance(draft, Refused):
        await message.answer(answers.problem_text(draft, tr))
        return
    screen = outreach_screens.preview(reach, draft, tr, album=bool(message.media_group_id))
    await _show_preview(message, state, draft, screen, ToParents.preview)


async def send_to_parents(callback: CallbackQuery, state: FSMContext, ctx: AppContext) -> None:
    tr, data, user_id = _tr(ctx), await state.get_data(), sender_id(callback)
    draft = Draft.from_data(data.get("draft"))
    if await state.get_state() != ToParents.preview.state or draft is None:
        await stale_button(callback, answers.draft_gone(tr))
        return
    reach = await outreach.outreach(ctx, user_id, data.get("student"))
    if reach is None or not reach.parents:
        await state.clear()
        await stale_button(callback, answers.student_gone(tr))
        return
    now = ctx.clock.now()
    outcomes = await outreach.send_to_parents(ctx, user_id, reach, draft)
    await state.clear()
    await show(callback, Screen(outreach_screens.outcome_text(reach, outcomes, tr, ctx.settings.tz, now)))


async def rewrite_to_parents(callback: CallbackQuery, state: FSMContext, ctx: AppContext) -> None:
    tr = _tr(ctx)
    reach = await outreach.outreach(ctx, sender_id(callback), (await state.get_data()).get("student"))
    if await state.get_state() != ToParents.preview.state or reach is None:
        await stale_button(callback, answers.draft_gone(tr))
        return
    await state.set_state(ToParents.writing)
    await state.update_data(draft=None, preview_id=None)
    await show(callback, outreach_screens.writing_prompt(reach, tr))


# --- answering -------------------------------------------------------------------------------------


async def _post_answer(message: Message, thread_id: int, state: FSMContext, ctx: AppContext) -> None:
    tr = _tr(ctx)
    seat = await service.participant(ctx, sender_id(message), thread_id)
    if seat is None:
        await state.clear()
        await message.answer(answers.thread_gone(tr))
        return
    draft = read_draft(message)
    if isinstance(draft, Refused):
        await message.answer(answers.problem_text(draft, tr))
        return
    now = ctx.clock.now()
    sent = await service.send(ctx, seat, sender_id(message), draft)
    if isinstance(sent, service.RateLimited):
        await message.answer(answers.rate_limit_text(sent.next_allowed_at, tr, ctx.settings.tz, now, draft_kept=False))
        return
    await state.clear()
    await message.answer(answers.outcome_text(sent, tr, ctx.settings.tz, now, to_teacher=not seat.as_teacher))


async def reply_by_telegram(message: Message, replied_thread_id: int, state: FSMContext, ctx: AppContext) -> None:
    await _post_answer(message, replied_thread_id, state, ctx)


async def reply_button(callback: CallbackQuery, callback_data: MsgReplyCb, state: FSMContext, ctx: AppContext) -> None:
    tr = _tr(ctx)
    seat = await service.participant(ctx, sender_id(callback), callback_data.thread_id)
    if seat is None:
        await stale_button(callback, answers.thread_unavailable(tr))
        return
    await state.set_state(Replying.writing)
    await state.set_data({"thread": seat.thread.id})
    await _send_below(callback, screens.writing_prompt(seat.thread, tr, reply=True, viewer_is_teacher=seat.as_teacher))
    await callback.answer()


async def reply_written(message: Message, state: FSMContext, ctx: AppContext) -> None:
    thread_id = (await state.get_data()).get("thread")
    await _post_answer(message, thread_id if isinstance(thread_id, int) else 0, state, ctx)


# --- /inbox and a thread -------------------------------------------------------------------------


async def inbox(message: Message, ctx: AppContext) -> None:
    page = await service.inbox(ctx, sender_id(message), 0)
    await answer_with(message, screens.inbox_page(page, _tr(ctx), ctx.settings.tz, ctx.clock.now()))


async def inbox_page(callback: CallbackQuery, callback_data: MsgInboxCb, ctx: AppContext) -> None:
    page = await service.inbox(ctx, sender_id(callback), callback_data.page)
    await show(callback, screens.inbox_page(page, _tr(ctx), ctx.settings.tz, ctx.clock.now()))


async def thread_history(callback: CallbackQuery, callback_data: MsgThreadCb, ctx: AppContext) -> None:
    tr, user_id = _tr(ctx), sender_id(callback)
    seat = await service.participant(ctx, user_id, callback_data.thread_id)
    if seat is None:
        await stale_button(callback, answers.thread_unavailable(tr))
        return
    history = await service.thread_history(ctx, user_id, seat, callback_data.page)
    screen = screens.thread_page(history, tr, ctx.settings.tz, ctx.clock.now())
    if callback_data.fresh:  # from under a relayed message: keep that message, show the history below it
        await _send_below(callback, screen)
        await callback.answer()
    else:
        await show(callback, screen)


async def mute_thread(callback: CallbackQuery, callback_data: MsgMuteCb, ctx: AppContext) -> None:
    tr, user_id = _tr(ctx), sender_id(callback)
    seat = await service.set_muted(ctx, user_id, callback_data.thread_id, callback_data.mute)
    if seat is None:
        await stale_button(callback, answers.thread_unavailable(tr))
        return
    history = await service.thread_history(ctx, user_id, seat, 0)
    screen = screens.thread_page(history, tr, ctx.settings.tz, ctx.clock.now())
    await show(callback, screen, notice=answers.muted(tr, mute=callback_data.mute), alert=True)


async def open_message(callback: CallbackQuery, callback_data: MsgOpenCb, ctx: AppContext) -> None:
    """One message of the history in full: the whole text, or the photo or document copied again."""
    tr, user_id = _tr(ctx), sender_id(callback)
    calls = await service.message_in_full(ctx, user_id, callback_data.message_id, tr)
    if calls is None:
        await stale_button(callback, answers.message_unavailable(tr))
        return
    try:
        await send_now(bot_of(callback), user_id, calls)
    except TelegramBadRequest:
        await callback.answer(answers.file_gone(tr), show_alert=True)
        return
    await callback.answer()


def create_router() -> Router:
    """A new Router with this feature's handlers (one per Dispatcher: a Router attaches to one parent)."""
    router = Router(name="messaging")
    free_input = FreeInput(media=True)  # commands and main-menu buttons keep working in the middle of writing
    # answering first: a Telegram reply to a relayed message wins over a draft being written
    router.message.register(reply_by_telegram, RepliedThread(), free_input)
    router.callback_query.register(reply_button, MsgReplyCb.filter())
    router.message.register(reply_written, Replying.writing, free_input)
    router.message.register(inbox, Command("inbox"))
    router.message.register(inbox, MenuButton(MENU_INBOX))
    router.callback_query.register(inbox_page, MsgInboxCb.filter())
    router.callback_query.register(thread_history, MsgThreadCb.filter())
    router.callback_query.register(mute_thread, MsgMuteCb.filter())
    router.callback_query.register(open_message, MsgOpenCb.filter())
    router.message.register(start_message, Command("message"))
    router.message.register(start_message, MenuButton(MENU_MESSAGE))
    router.callback_query.register(back_to_start, MsgStartCb.filter())
    router.callback_query.register(child_chosen, MsgChildCb.filter())
    router.callback_query.register(teacher_chosen, MsgTeacherCb.filter())
    router.callback_query.register(classes_pressed, MsgClassesCb.filter())
    router.callback_query.register(class_pressed, MsgClassCb.filter())
    router.callback_query.register(pupil_pressed, MsgPupilCb.filter())
    router.callback_query.register(write_to_parents, MsgToParentsCb.filter())
    router.message.register(cancel_command, Command("cancel"), StateFilter(Compose, Replying, ToParents))
    router.message.register(draft_written, StateFilter(Compose.writing, Compose.preview), free_input)
    router.message.register(parents_draft_written, StateFilter(ToParents.writing, ToParents.preview), free_input)
    router.callback_query.register(send_draft, MsgDraftCb.filter(F.action == "send"))
    router.callback_query.register(rewrite_draft, MsgDraftCb.filter(F.action == "edit"))
    router.callback_query.register(send_to_parents, MsgDraftCb.filter(F.action == "psend"))
    router.callback_query.register(rewrite_to_parents, MsgDraftCb.filter(F.action == "pedit"))
    router.callback_query.register(cancel_draft, MsgDraftCb.filter(F.action == "cancel"))
    return router
