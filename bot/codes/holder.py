"""Whom a code is for: an e-diary person with what identifies them (class, children, subjects), and how to
describe them on a card, in a chat or in /me.

Descriptions take `gettext` (one msgid -> text) so they work inside an update (`_`) and outside one (a
`bot.ui.Translator`'s gettext, the CLI's sheet); their msgids live in the linking catalog. Words that Russian
inflects by sex («ученик»/«ученица») follow the e-diary's `Person.sex`, with a neutral form when it is unknown:
a separate msgid per form (the English ones translate to the same word).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from bot.ediary.model import Person, Role, Sex, Student, Teacher
from bot.ediary.provider import EdiaryProvider

Gettext = Callable[[str], str]


@dataclass(frozen=True, slots=True)
class Holder:
    person: Person
    student: Student | None = None
    children: tuple[Student, ...] = field(default_factory=tuple)
    teacher: Teacher | None = None

    @property
    def id(self) -> str:
        return self.person.id

    @property
    def role(self) -> Role:
        return self.person.role

    @property
    def classes(self) -> list[str]:
        """The classes of the person: a student's, a parent's children's, every class a teacher teaches (and
        their homeroom class, should they not teach it)."""
        if self.student is not None:
            return [self.student.class_name]
        if self.children:
            return sorted({child.class_name for child in self.children})
        if self.teacher is not None:
            homeroom = [self.teacher.homeroom_class] if self.teacher.homeroom_class else []
            return list(dict.fromkeys([*self.teacher.classes, *homeroom]))
        return []

    @property
    def school(self) -> str | None:
        if self.student is not None:
            return self.student.school
        return self.children[0].school if self.children else None


async def describe(provider: EdiaryProvider, person_id: str) -> Holder | None:
    """The person with their details, or None when the e-diary does not know them (any more)."""
    person = await provider.get_person(person_id)
    if person is None:
        return None
    if person.role == Role.STUDENT:
        return Holder(person, student=await provider.get_student(person_id))
    if person.role == Role.PARENT:
        return Holder(person, children=tuple(await provider.children_of(person_id)))
    return Holder(person, teacher=await provider.get_teacher(person_id))


def role_label(role: str, gettext: Gettext, sex: Sex | None = None) -> str:
    if role == Role.STUDENT:
        if sex == Sex.FEMALE:
            return gettext("student (female)")
        if sex == Sex.MALE:
            return gettext("student (male)")
        return gettext("student")
    if role == Role.PARENT:
        return gettext("parent")
    return gettext("teacher")


def holder_details(holder: Holder, gettext: Gettext) -> str:
    """One line after the name, plain text: 'student, class 5А' / 'parent' / 'teacher (Математика); homeroom
    teacher of 5А'."""
    if holder.student is not None:
        student = role_label(Role.STUDENT, gettext, holder.person.sex)
        return gettext("{student}, class {cls}").format(student=student, cls=holder.student.class_name)
    if holder.role == Role.TEACHER and holder.teacher is not None:
        text = gettext("teacher ({subjects})").format(subjects=", ".join(holder.teacher.subjects))
        if holder.teacher.homeroom_class:
            text += "; " + gettext("homeroom teacher of {cls}").format(cls=holder.teacher.homeroom_class)
        return text
    return role_label(holder.role, gettext, holder.person.sex)


def children_lines(holder: Holder) -> list[str]:
    """'Иванов Петр Сергеевич — 5А' for each child of a parent (plain text)."""
    return [f"{child.person.full_name} — {child.class_name}" for child in holder.children]
