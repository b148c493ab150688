"""A day's screen is made once for equal days (a family looking at one child, a day paged back and forth) and
anew as soon as anything shown differs: a substitution, the lesson now in progress, the language."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, time

from bot.ediary.model import Lesson, LessonStatus, Person, Role, Student
from bot.i18n import create_i18n
from bot.timetable.model import DayTimetable, Kind, LessonEntry, Section, Target
from bot.timetable.screens import day_screen

DAY = date(2026, 11, 25)
STUDENT = Student(Person("s1", "Иванов Артём Сергеевич", Role.STUDENT), "5А", "school")
TARGET = Target(Kind.STUDENT, "s1", students=(STUDENT,))
MATHS = Lesson("l1", DAY, 1, time(8, 30), time(9, 15), "5А", "Математика", "204", "t1")


def day_of(lesson: Lesson, *, in_progress: bool = False, names: dict[str, str] | None = None) -> DayTimetable:
    entry = LessonEntry(lesson, in_progress=in_progress)
    names = {"t1": "Белова Елена Викторовна"} if names is None else names
    return DayTimetable(DAY, DAY, (Section(STUDENT, DAY, (entry,)),), names, substitutions_known=True)


def test_equal_days_share_a_screen_and_any_difference_is_shown() -> None:
    i18n = create_i18n()
    with i18n.context(), i18n.use_locale("ru"):
        first = day_screen(TARGET, day_of(MATHS), "ru")
        assert day_screen(TARGET, day_of(MATHS), "ru") is first  # built anew from the e-diary, equal: reused
        substituted = replace(MATHS, status=LessonStatus.SUBSTITUTED, teacher_id="t2", original_teacher_id="t1")
        names = {"t1": "Белова Елена Викторовна", "t2": "Орлова Ольга Сергеевна"}
        changed = day_screen(TARGET, day_of(substituted, names=names), "ru")
        assert "Замена" in changed.text and "Орлова О. С." in changed.text
        assert "сейчас" in day_screen(TARGET, day_of(MATHS, in_progress=True), "ru").text
        renamed = day_screen(TARGET, day_of(MATHS, names={"t1": "Белова Анна Ивановна"}), "ru")
        assert "Белова А. И." in renamed.text  # names are compared, though not hashed
    with i18n.context(), i18n.use_locale("en"):
        english = day_screen(TARGET, day_of(MATHS), "en")
    assert english.text != first.text and english.text.startswith("📅 <b>Wednesday, 25 November</b>")
    assert english.markup is not None and english.markup.inline_keyboard[0][1].text == "📍 Today"
