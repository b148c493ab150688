"""Last line of defence: a failure nobody handled still gets a short, localized answer, never silence.

An e-diary outage is expected: the user is told and it is logged as a warning. Anything else is a bug:
it is re-raised after the answer, so aiogram logs it and tests see it.
"""

from __future__ import annotations

import logging

from aiogram.exceptions import TelegramAPIError
from aiogram.types import ErrorEvent
from aiogram.utils.i18n import gettext as _

from bot.ediary.provider import ProviderError

log = logging.getLogger(__name__)


async def answer_failure(event: ErrorEvent) -> None:
    update = event.update
    outage = isinstance(event.exception, ProviderError)
    if outage:
        log.warning("e-diary unavailable while handling an update (%s)", type(event.exception).__name__)
        text = _(
            "The e-diary is not answering right now, so I could not check this. Nothing was lost: "
            "please try again in a few minutes."
        )
    else:
        text = _("Something went wrong on my side. Please try again; if it keeps happening, tell the school.")
    try:
        if update.callback_query is not None:
            await update.callback_query.answer(text, show_alert=True)
        elif update.message is not None and update.message.chat.type == "private":
            await update.message.answer(text)
    except TelegramAPIError as exc:  # the answer itself failed: nothing more to do for this update
        log.warning("could not tell the user about a failure: %s", type(exc).__name__)
    if not outage:
        raise event.exception
