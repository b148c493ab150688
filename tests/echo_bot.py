"""A tiny echo bot that the harness tests drive (not the real app); this module holds no tests itself."""

from __future__ import annotations

from aiogram import Dispatcher, F, Router
from aiogram.filters import CommandStart
from aiogram.types import (
    BufferedInputFile,
    CallbackQuery,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    KeyboardButton,
    Message,
    ReplyKeyboardMarkup,
)


def echo_dispatcher() -> Dispatcher:
    router = Router()
    keyboard = InlineKeyboardMarkup(
        inline_keyboard=[
            [
                InlineKeyboardButton(text="Оценки за неделю", callback_data="marks"),
                InlineKeyboardButton(text="Расписание", callback_data="timetable"),
            ]
        ]
    )

    @router.message(CommandStart())
    async def start(message: Message) -> None:
        menu = ReplyKeyboardMarkup(
            keyboard=[[KeyboardButton(text="📘 Оценки"), KeyboardButton(text="⚙️")]], resize_keyboard=True
        )
        await message.answer(f"Привет, <b>{message.from_user.first_name}</b>!", reply_markup=menu)
        await message.answer("Что показать?", reply_markup=keyboard)

    @router.callback_query(F.data == "marks")
    async def marks(query: CallbackQuery) -> None:
        await query.message.edit_text("Оценки: 5, 4", reply_markup=keyboard)
        await query.answer("Готово")

    @router.callback_query(F.data == "timetable")
    async def timetable(query: CallbackQuery) -> None:
        await query.message.edit_text("Расписание: нет уроков")  # no markup: the keyboard disappears
        await query.answer()

    @router.message(F.photo)
    async def photo(message: Message) -> None:
        await message.answer_document(BufferedInputFile(b"report", "report.txt"), caption="Отчёт")

    @router.message(F.text)
    async def echo(message: Message) -> None:
        prefix = "re: " if message.reply_to_message else ""
        await message.answer(prefix + message.text)  # unescaped on purpose: see test_html_is_checked_like_telegram

    dp = Dispatcher()
    dp.include_router(router)
    return dp
