"""/invite keeps no FSM state of its own, only one value in the FSM data between its steps."""

from __future__ import annotations

PEOPLE_KEY = "invite_people"  # the ids given to `/invite ID ...`, as checked then; re-checked at every step
