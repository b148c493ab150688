"""Messaging's conversations: writing to a teacher (/message), and answering in a thread."""

from __future__ import annotations

from aiogram.fsm.state import State, StatesGroup


class Compose(StatesGroup):
    """/message: FSM data holds the student and teacher ids (re-checked on every step) and the draft."""

    writing = State()
    preview = State()


class Replying(StatesGroup):
    """After «Reply»: FSM data holds the thread id (re-checked when the answer arrives)."""

    writing = State()


class ToParents(StatesGroup):
    """A teacher writes to a student's parents: FSM data holds the student id (re-checked on every step) and the
    draft."""

    writing = State()
    preview = State()
