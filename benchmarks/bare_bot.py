"""A bare aiogram bot polling the Bot API at TELEGRAM_API_URL with BOT_TOKEN: the baseline of the start-up
benchmark (what any aiogram bot does before its first getUpdates: import aiogram, make the Bot and the
Dispatcher, delete a webhook, start polling), and of the press benchmark: it answers every message with a
constant text and one button, and a press of that button by editing the message in place."""

from __future__ import annotations

import asyncio
import os

from aiogram import Bot, Dispatcher, Router
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message


async def main() -> None:
    router = Router()
    keyboard = InlineKeyboardMarkup(inline_keyboard=[[InlineKeyboardButton(text="ok", callback_data="ok")]])

    @router.message()
    async def answer(message: Message) -> None:
        await message.answer("ok", reply_markup=keyboard)

    @router.callback_query()
    async def pressed(callback: CallbackQuery) -> None:
        if isinstance(callback.message, Message):
            await callback.message.edit_text(f"ok {callback.id}", reply_markup=keyboard)
        await callback.answer()

    session = AiohttpSession(api=TelegramAPIServer.from_base(os.environ["TELEGRAM_API_URL"]))
    bot = Bot(os.environ["BOT_TOKEN"], session=session)
    dp = Dispatcher()
    dp.include_router(router)
    await bot.me()
    await bot.delete_webhook(drop_pending_updates=False)
    await dp.start_polling(bot, allowed_updates=dp.resolve_used_update_types())


if __name__ == "__main__":
    asyncio.run(main())
