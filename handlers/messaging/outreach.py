"""A teacher writes to a student's parents: their classes, a student, then compose as families do."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.filters import StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message

from bot.context import AppContext
from bot.filters import FreeInput
from bot.messaging import answers, outreach, outreach_screens, service
from bot.messaging.callbacks import (
    MsgClassCb,
    MsgClassesCb,
    MsgDraftCb,
    MsgPupilCb,
    MsgToParentsCb,
)
from bot.messaging.drafts import Draft, Refused, read_draft
from bot.messaging.states import ToParents
from bot.ui import Screen, show, stale_button
from bot.ui.telegram import sender_id
from handlers.messaging.common import show_preview, translator

# --- a teacher writes to a student's parents --------------------------------------------------------


async def classes_pressed(callback: CallbackQuery, state: FSMContext, ctx: AppContext) -> None:
    start = await service.compose_start(ctx, sender_id(callback))
    if not start.teacher_classes:
        await stale_button(callback, answers.class_unavailable(translator(ctx)))
        return
    await state.clear()
    screen = outreach_screens.class_picker(start.teacher_classes, translator(ctx), family_too=bool(start.students))
    await show(callback, screen)


async def class_pressed(callback: CallbackQuery, callback_data: MsgClassCb, state: FSMContext, ctx: AppContext) -> None:
    tr = translator(ctx)
    pupils = await outreach.class_pupils(ctx, sender_id(callback), callback_data.class_name)
    if pupils is None:
        await stale_button(callback, answers.class_unavailable(tr))
        return
    await state.clear()
    await show(callback, outreach_screens.pupil_picker(callback_data.class_name, pupils, tr))


async def pupil_pressed(callback: CallbackQuery, callback_data: MsgPupilCb, state: FSMContext, ctx: AppContext) -> None:
    tr = translator(ctx)
    reach = await outreach.outreach(ctx, sender_id(callback), callback_data.student)
    if reach is None:
        await stale_button(callback, answers.student_unavailable(tr))
        return
    await state.clear()
    await show(callback, outreach_screens.parents_screen(reach, tr))


async def write_to_parents(
    callback: CallbackQuery, callback_data: MsgToParentsCb, state: FSMContext, ctx: AppContext
) -> None:
    tr = translator(ctx)
    reach = await outreach.outreach(ctx, sender_id(callback), callback_data.student)
    if reach is None or not reach.parents:
        await stale_button(callback, answers.student_unavailable(tr))
        return
    await state.set_state(ToParents.writing)
    await state.set_data({"student": reach.student.id})
    await show(callback, outreach_screens.writing_prompt(reach, tr))


async def parents_draft_written(message: Message, state: FSMContext, ctx: AppContext) -> None:
    tr = translator(ctx)
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
    await show_preview(message, state, draft, screen, ToParents.preview)


async def send_to_parents(callback: CallbackQuery, state: FSMContext, ctx: AppContext) -> None:
    tr, data, user_id = translator(ctx), await state.get_data(), sender_id(callback)
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
    tr = translator(ctx)
    reach = await outreach.outreach(ctx, sender_id(callback), (await state.get_data()).get("student"))
    if await state.get_state() != ToParents.preview.state or reach is None:
        await stale_button(callback, answers.draft_gone(tr))
        return
    await state.set_state(ToParents.writing)
    await state.update_data(draft=None, preview_id=None)
    await show(callback, outreach_screens.writing_prompt(reach, tr))


def create_router() -> Router:
    router = Router(name="messaging.outreach")
    free_input = FreeInput(media=True)
    router.callback_query.register(classes_pressed, MsgClassesCb.filter())
    router.callback_query.register(class_pressed, MsgClassCb.filter())
    router.callback_query.register(pupil_pressed, MsgPupilCb.filter())
    router.callback_query.register(write_to_parents, MsgToParentsCb.filter())
    router.message.register(parents_draft_written, StateFilter(ToParents.writing, ToParents.preview), free_input)
    router.callback_query.register(send_to_parents, MsgDraftCb.filter(F.action == "psend"))
    router.callback_query.register(rewrite_to_parents, MsgDraftCb.filter(F.action == "pedit"))
    return router
