"""/announce's conversation: FSM data holds the audience ("class": a name or "*", "students": bool, re-checked on
every step) and the draft with its preview's message id."""

from __future__ import annotations

from aiogram.fsm.state import State, StatesGroup


class Announce(StatesGroup):
    writing = State()
    preview = State()
