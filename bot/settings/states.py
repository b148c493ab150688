"""The one conversation of /settings: a time typed instead of chosen from the presets."""

from __future__ import annotations

from aiogram.fsm.state import State, StatesGroup


class SettingsForm(StatesGroup):
    quiet = State()
    reminder = State()
    digest = State()


# the field each state asks for (the same names as SettingsAskCb.field)
FIELD_STATES = {"quiet": SettingsForm.quiet, "reminder": SettingsForm.reminder, "digest": SettingsForm.digest}


def field_of(state_name: str | None) -> str | None:
    """The field being typed in this FSM state; None outside the conversation."""
    return next((field for field, state in FIELD_STATES.items() if state.state == state_name), None)
