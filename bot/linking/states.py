"""The linking conversation: the code step, then the confirmation."""

from __future__ import annotations

from aiogram.fsm.state import State, StatesGroup

CODE_ID_KEY = "code_id"  # FSM data in the confirm step: the code shown (a button's own id is never trusted)


class LinkFlow(StatesGroup):
    code = State()  # waiting for the code
    confirm = State()  # a valid code shown; its id is in the FSM data under CODE_ID_KEY
