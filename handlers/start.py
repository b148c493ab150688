"""/start and /help: what the bot does and how to begin."""

from __future__ import annotations

from aiogram import Router, html
from aiogram.filters import Command, CommandStart
from aiogram.types import Message
from aiogram.utils.i18n import gettext as _

from bot.commands import COMMANDS
from bot.filters import MenuButton
from bot.keyboards import MENU_HELP, main_menu
from storage import links as links_repo
from storage.db import Database

router = Router(name="start")


async def menu_for(db: Database, user_id: int):
    links = await links_repo.links_of_user(db, user_id)
    roles = {link.role for link in links}
    return main_menu(linked=bool(links), is_teacher="teacher" in roles, has_family=bool(roles - {"teacher"}))


@router.message(CommandStart())
async def start(message: Message, db: Database) -> None:
    name = html.quote(message.from_user.first_name or "")
    linked = bool(await links_repo.links_of_user(db, message.from_user.id))
    intro = _(
        "Hello, {name}! I am the school e-diary bot.\n\n"
        "I show marks and the timetable with its changes, send every new grade as it appears, "
        "remind about homework and let you write to teachers."
    ).format(name=name)
    if linked:
        next_step = _("Your account is linked: use the menu below or /help.")
    else:
        next_step = _(
            "To begin, link your account with the one-time code the school gave you: "
            "send /link or open the link from your code card. I never ask for your e-diary password."
        )
    await message.answer(f"{intro}\n\n{next_step}", reply_markup=await menu_for(db, message.from_user.id))


@router.message(Command("help"))
@router.message(MenuButton(MENU_HELP))
async def help_command(message: Message, i18n_locale: str | None = None) -> None:
    lines = [_("<b>What I can do</b>")]
    lines += [f"/{name} — {_(description)}" for name, description in COMMANDS]
    lines.append("")
    lines.append(_("Unlink an identity with /unlink; erase everything I store about you with /forget."))
    await message.answer("\n".join(lines))
