"""Whom an event concerns, by the roles an account is linked as:

- a parent: school-wide events, their children's classes' events and those classes' parent meetings;
- a student: school-wide events and their own class's events, not those for parents only;
- a teacher: school-wide events and every event of the classes they teach or lead (parent meetings included).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from bot.ediary.model import EventAudience, Person, Role, SchoolEvent
from bot.ediary.provider import EdiaryProvider
from storage.links import Link


@dataclass(frozen=True, slots=True)
class Scope:
    children: dict[str, tuple[str, ...]] = field(default_factory=dict)  # class -> first names of the children in it
    own_classes: frozenset[str] = frozenset()  # as a student
    taught_classes: frozenset[str] = frozenset()  # as a teacher (homeroom included)

    def concerns(self, event: SchoolEvent) -> bool:
        if event.audience == EventAudience.SCHOOL:
            return True
        name = event.class_name
        if name is None:
            return False
        if name in self.children or name in self.taught_classes:
            return True
        return event.audience == EventAudience.CLASS and name in self.own_classes

    def children_in(self, class_name: str | None) -> tuple[str, ...]:
        return self.children.get(class_name or "", ())


def first_name(person: Person) -> str:
    """'Иванов Артём Алексеевич' -> 'Артём' (the e-diary lists the surname first)."""
    parts = person.full_name.split()
    return parts[1] if len(parts) >= 2 else person.full_name


async def scope_of(provider: EdiaryProvider, links: Iterable[Link]) -> Scope:
    """Raises ProviderError (read through the app's cache by the callers)."""
    children: dict[str, list[str]] = {}
    own: set[str] = set()
    taught: set[str] = set()
    for link in links:
        if link.role == Role.PARENT:
            for child in await provider.children_of(link.person_id):
                names = children.setdefault(child.class_name, [])
                if first_name(child.person) not in names:
                    names.append(first_name(child.person))
        elif link.role == Role.STUDENT:
            student = await provider.get_student(link.person_id)
            if student is not None:
                own.add(student.class_name)
        elif link.role == Role.TEACHER:
            teacher = await provider.get_teacher(link.person_id)
            if teacher is not None:
                taught.update(teacher.classes)
                if teacher.homeroom_class:
                    taught.add(teacher.homeroom_class)
    return Scope({c: tuple(n) for c, n in children.items()}, frozenset(own), frozenset(taught))
