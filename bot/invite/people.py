"""Whom a batch of codes is for: a class's students and parents, every teacher; class names as people type them."""

from __future__ import annotations

from bot.codes.holder import Holder
from bot.ediary.model import Role
from bot.ediary.provider import EdiaryProvider

CLASS_ROLES = ("student", "parent", "all")  # whom a class invitation is for

# Latin letters typed for the Cyrillic ones in class names ("5A" for "5А"), and what may stand between the
# number and the letter ("7-Б", "7 Б"): a class name is compared without them.
_LATIN_TWINS = str.maketrans("ABCEHKMOPTXY", "АВСЕНКМОРТХУ", " -\u2010\u2011\u2012\u2013\u2014")


def class_key(name: str) -> str:
    """'5a', ' 5А ', '5A' (Latin A), '5-а' -> '5А': what a class name is compared by."""
    return name.strip().upper().translate(_LATIN_TWINS)


def match_class(name: str, known: list[str]) -> str | None:
    """The school's spelling of a class as a person typed it (the one reading of class names for /invite and
    every staff command's --class), or None."""
    wanted = class_key(name)
    return next((cls for cls in known if wanted and class_key(cls) == wanted), None)


async def class_holders(provider: EdiaryProvider, class_name: str, role: str) -> list[Holder]:
    """A class's students (journal order) and/or their parents; with both, each student's parents follow
    the student, so a printed sheet keeps a family's cards together. A parent appears once."""
    holders: list[Holder] = []
    seen: set[str] = set()
    for student in await provider.class_students(class_name):
        if role in ("student", "all") and student.id not in seen:
            seen.add(student.id)
            holders.append(Holder(student.person, student=student))
        if role in ("parent", "all"):
            for parent in await provider.parents_of(student.id):
                if parent.id not in seen:
                    seen.add(parent.id)
                    holders.append(Holder(parent, children=tuple(await provider.children_of(parent.id))))
    return holders


async def all_teachers(provider: EdiaryProvider) -> list[Holder]:
    teachers = await provider.list_people(role=Role.TEACHER)
    return [Holder(t, teacher=await provider.get_teacher(t.id)) for t in teachers]


async def class_members(provider: EdiaryProvider, class_name: str) -> set[str]:
    """Ids of a class's students and their parents (whom its homeroom teacher may invite)."""
    return {holder.id for holder in await class_holders(provider, class_name, "all")}
