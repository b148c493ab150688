"""Cross-feature events without cross-feature imports: linking announces, other features listen.

@on_person_linked
async def deliver_waiting_messages(ctx, user_id, person_id, role): ...
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.context import AppContext

log = logging.getLogger(__name__)

LinkedListener = Callable[["AppContext", int, str, str], Awaitable[None]]
ForgetListener = Callable[["AppContext", int], Awaitable[None]]

_linked: list[LinkedListener] = []
_forget: list[ForgetListener] = []


def on_person_linked(func: LinkedListener) -> LinkedListener:
    _linked.append(func)
    return func


def on_user_forgotten(func: ForgetListener) -> ForgetListener:
    """Called inside the /forget transaction: delete this feature's data about the user."""
    _forget.append(func)
    return func


async def person_linked(ctx: AppContext, user_id: int, person_id: str, role: str) -> None:
    for listener in _linked:
        await listener(ctx, user_id, person_id, role)


async def user_forgotten(ctx: AppContext, user_id: int) -> None:
    for listener in _forget:
        await listener(ctx, user_id)
