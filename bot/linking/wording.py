"""Sentences about the person a code is for, worded by their role and, in Russian, their sex as the e-diary
records it («к нему» / «к ней»), neutral when the e-diary does not say. A teacher is never promised marks;
a student is never spoken of as someone else's child. Called inside a handler (`_` is the user's language)."""

from __future__ import annotations

from aiogram.utils.i18n import gettext as _

from bot.codes.holder import Holder
from bot.ediary.model import Role, Sex


def link_question(holder: Holder) -> str:
    """The question under "This code is for: …"."""
    if holder.person.sex == Sex.MALE:
        return _("Link this Telegram account to him?")
    if holder.person.sex == Sex.FEMALE:
        return _("Link this Telegram account to her?")
    return _("Link this Telegram account to this person?")


def what_linking_gives(holder: Holder) -> str:
    """What the account will see once linked, by the role of the person."""
    if holder.role == Role.TEACHER:
        return _("From then on your lessons will be shown here, and messages from families will come here.")
    if holder.role == Role.PARENT:
        n = max(1, len(holder.children))
        return _(
            "From then on the child's marks and timetable will be shown here.",
            "From then on the children's marks and timetables will be shown here.",
            n,
        )
    return _("From then on the marks and timetable will be shown here.")


def what_comes_now(holder: Holder) -> str:
    """Under "Done! This account is now linked to: …"."""
    if holder.role == Role.TEACHER:
        return _("Messages from families will come here; /today shows your lessons.")
    if holder.role == Role.PARENT:
        n = max(1, len(holder.children))
        return _(
            "New marks and timetable changes of the child will come here.",
            "New marks and timetable changes of the children will come here.",
            n,
        )
    return _("New marks and timetable changes will come here.")


def children_heading(holder: Holder) -> str:
    return _("Child:", "Children:", len(holder.children))
