"""Reads the views share, whatever the e-diary's token may read (capabilities.class_reads).

schedule = await schedule_of(ctx.reader, student, day, day)   # lessons, homework and marks
marks = [g for g in schedule.grades if g.student_id == student.id]
"""

from __future__ import annotations

from datetime import date

from bot.ediary.model import ClassSchedule, Student
from bot.ediary.provider import EdiaryProvider


async def schedule_of(provider: EdiaryProvider, student: Student, start: date, end: date) -> ClassSchedule:
    """A student's lessons, the homework due and the marks dated in [start, end], in one call: their class's
    schedule where the e-diary reads classes (through the cache, one answer for every classmate's family;
    its grades are the whole class's), else the student's own (a family's token: their grades only)."""
    if provider.capabilities.class_reads:
        return await provider.class_schedule(student.class_name, start, end)
    return await provider.student_schedule(student.id, start, end)
