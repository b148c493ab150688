"""An announcement's audience, and the accounts in it: the linked parents of a class's (or the school's)
students, and optionally the linked students themselves. Read from the links (only linked accounts can be
reached), each account once, whatever the number of its children in the audience."""

from __future__ import annotations

from dataclasses import dataclass

from bot.context import AppContext
from bot.ediary.model import Role
from storage import links as links_repo

WHOLE_SCHOOL = "*"  # the class field of buttons and FSM data for the whole school


@dataclass(frozen=True, slots=True)
class Audience:
    class_name: str | None  # None: the whole school
    students_too: bool

    @property
    def packed_class(self) -> str:
        return self.class_name or WHOLE_SCHOOL

    @classmethod
    def unpack(cls, class_field: object, students_too: object) -> Audience | None:
        """From buttons or FSM data; None when malformed (rights are checked separately)."""
        if not isinstance(class_field, str) or not class_field or not isinstance(students_too, bool):
            return None
        return cls(None if class_field == WHOLE_SCHOOL else class_field, students_too)


async def recipients(ctx: AppContext, audience: Audience, *, author_user_id: int) -> list[int]:
    """The accounts an announcement to `audience` goes to (the author's own excluded). Raises ProviderError."""
    reader, accounts = ctx.reader, set()
    wanted = None if audience.class_name is None else {audience.class_name}
    for link in await links_repo.all_links(ctx.database):
        if link.role == Role.PARENT:
            classes = {child.class_name for child in await reader.children_of(link.person_id)}
        elif link.role == Role.STUDENT and audience.students_too:
            student = await reader.get_student(link.person_id)
            classes = {student.class_name} if student is not None else set()
        else:
            continue
        if classes and (wanted is None or classes & wanted):
            accounts.add(link.user_id)
    accounts.discard(author_user_id)
    return sorted(accounts)
