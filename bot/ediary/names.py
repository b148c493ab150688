"""E-diary people's full names by id, for views and alerts that show who taught or gave a mark."""

from __future__ import annotations

from collections.abc import Iterable

from bot.ediary.provider import EdiaryProvider


async def full_names(provider: EdiaryProvider, person_ids: Iterable[str | None]) -> dict[str, str]:
    """Id -> full name for every known id given (None and unknown ids are left out)."""
    names = {}
    for person_id in sorted({pid for pid in person_ids if pid}):
        person = await provider.get_person(person_id)
        if person is not None:
            names[person_id] = person.full_name
    return names


def initials(full_name: str) -> str:
    """'Белова Елена Викторовна' -> 'Белова Е. В.' (how school journals and timetables name teachers)."""
    surname, *names = full_name.split() or [full_name]
    return " ".join([surname, *(f"{name[0]}." for name in names)])
