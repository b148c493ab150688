"""Generated timetable changes and homework: pure functions of the date, so any seeding order agrees.

Every school day has at most one generated change, its kind chosen by the date's ordinal modulo 5, so
any five consecutive school days show a substitution, a room change and a cancellation, and any ten
show an added lesson.
"""

from __future__ import annotations

import functools
import random
from datetime import date, timedelta

from bot.ediary.demo import school
from bot.ediary.demo.directory import Directory
from bot.ediary.demo.lessons import Override
from bot.ediary.demo.school_calendar import BELLS, school_days

SUBSTITUTION_REASONS = (
    "болезнь учителя",
    "учитель на курсах повышения квалификации",
    "учитель сопровождает команду на олимпиаде",
)
ROOM_REASONS = ("ремонт кабинета", "кабинет занят: пробный экзамен", "не работает проектор")
CANCEL_REASONS = ("болезнь учителя", "учитель на курсах повышения квалификации", "экскурсия в музей")
ADD_REASONS = ("консультация перед контрольной работой", "дополнительное занятие")

HOMEWORK_CHANCE = {"math": 0.9, "rus": 0.9, "eng": 0.85, "pe": 0.1, "music": 0.15}
HOMEWORK_TEXTS = {
    "math": ("№ {a}, {b}, {c}", "Повторить § {p}, решить № {a}–{b}", "№ {a} (а, б), № {c}"),
    "rus": ("Упр. {a}", "§ {p}, упр. {a} (письменно)", "Выучить словарные слова на с. {s}"),
    "lit": ("Прочитать с. {s}–{s2}", "Выучить наизусть отрывок на с. {s}", "Ответить на вопросы 1–{q} на с. {s}"),
    "eng": ("Workbook p. {s}, ex. {q}", "Учебник с. {s}, упр. {q} (письменно)", "Выучить слова Unit {u}"),
    "hist": ("§ {p}, вопросы 1–{q}", "§ {p}, заполнить таблицу в тетради"),
    "geo": ("§ {p}, контурная карта", "§ {p}, вопросы после параграфа"),
    "bio": ("§ {p}, рисунок в тетради", "§ {p}, вопросы 1–{q}"),
    "phys": ("§ {p}, упр. {q} (1–3)", "§ {p}, подготовиться к лабораторной работе"),
    "inf": ("§ {p}, задания в рабочей тетради", "Повторить § {p}"),
    "pe": ("Принести форму для сдачи нормативов",),
    "music": ("Выучить слова песни на с. {s}",),
}

# What a teacher adds to some of the generated homework: a file to open and a note beside the task.
HOMEWORK_FILES = ("Карточка с заданиями.pdf", "Рабочий лист.docx", "Презентация к уроку.pptx", "Таблица.xlsx")
HOMEWORK_COMMENTS = (
    "Оформить аккуратно, в тетради для домашних работ",
    "Кто отсутствовал — выполнить обязательно",
    "Будет проверочная работа по этой теме",
    "Можно выполнить на отдельном листе и вклеить в тетрадь",
)
FILE_CHANCE, COMMENT_CHANCE = 0.15, 0.2


@functools.lru_cache(maxsize=1 << 14)  # every poll reads each class's homework of the coming week
def homework_extras(homework_id: str) -> tuple[tuple[str, ...], str | None]:
    """The attachments and the teacher's comment of a generated homework (a pure function of its id, so a
    school file made before they existed shows them too); homework added by staff has none."""
    if not homework_id.startswith("h") or homework_id.startswith("hm"):
        return (), None
    rng = random.Random(f"demo|homework-extras|{homework_id}")
    files = (rng.choice(HOMEWORK_FILES),) if rng.random() < FILE_CHANCE else ()
    comment = rng.choice(HOMEWORK_COMMENTS) if rng.random() < COMMENT_CHANCE else None
    return files, comment


def plan_override(d: Directory, day: date) -> Override | None:
    """The generated timetable change of a school day, if any."""
    residue = day.toordinal() % 5
    if residue == 4 and (day.toordinal() // 5) % 2:
        return None  # added lessons only every other week
    rng = random.Random(f"demo|override|{day.isoformat()}")
    class_id = rng.choice(sorted(d.classes))
    slots = d.template[(class_id, day.weekday())]
    slot = rng.choice(slots)
    if residue in (0, 3):
        busy = _busy_teachers(d, day.weekday(), slot.number)
        free = sorted(t for t in d.teacher_room if t not in busy)
        teach_it = {teacher for (_, s), teacher in d.teaching.items() if s == slot.subject_id}
        same_subject = [t for t in free if t in teach_it]
        if not free:
            return None
        teacher = rng.choice(same_subject or free)
        return Override(class_id, day, slot.number, teacher_id=teacher, reason=rng.choice(SUBSTITUTION_REASONS))
    if residue == 1:
        room = rng.choice([r for r in school.SPARE_ROOMS if r != slot.room])
        return Override(class_id, day, slot.number, room=room, reason=rng.choice(ROOM_REASONS))
    if residue == 2:
        return Override(class_id, day, slot.number, cancelled=True, reason=rng.choice(CANCEL_REASONS))
    number = len(slots) + 1
    if number not in BELLS:
        return None
    busy = _busy_teachers(d, day.weekday(), number)
    for subject_id in rng.sample(["math", "rus"], 2):
        teacher = d.teaching[(class_id, subject_id)]
        if teacher not in busy:
            return Override(
                class_id,
                day,
                number,
                subject_id=subject_id,
                teacher_id=teacher,
                room=d.teacher_room[teacher],
                added=True,
                reason=rng.choice(ADD_REASONS),
            )
    return None


def plan_homework(d: Directory, class_id: str, day: date) -> list[tuple]:
    """Homework rows (id, class id, subject id, text, due, assigned) due on a school day."""
    rng = random.Random(f"demo|homework|{class_id}|{day.isoformat()}")
    rows = []
    subjects = dict.fromkeys(s.subject_id for s in d.template.get((class_id, day.weekday()), []))
    for subject_id in subjects:
        if rng.random() >= HOMEWORK_CHANCE.get(subject_id, 0.7):
            continue
        a, s = rng.randint(100, 600), rng.randint(20, 200)
        numbers = {
            "a": a,
            "b": a + 2,
            "c": a + 5,
            "p": rng.randint(2, 35),
            "s": s,
            "s2": s + rng.randint(5, 15),
            "q": rng.randint(3, 8),
            "u": rng.randint(1, 8),
        }
        text = rng.choice(HOMEWORK_TEXTS[subject_id]).format(**numbers)
        assigned = _previous_lesson_day(d, class_id, subject_id, day)
        rows.append(
            (
                f"h{day:%Y%m%d}-{class_id}-{subject_id}",
                class_id,
                subject_id,
                text,
                day.isoformat(),
                assigned.isoformat() if assigned else None,
            )
        )
    return rows


def generate_plans(d: Directory, start: date, end: date) -> tuple[list[Override], list[tuple]]:
    """Timetable changes and homework for the school days in [start, end]."""
    overrides, homework = [], []
    for day in school_days(start, end):
        override = plan_override(d, day)
        if override is not None:
            overrides.append(override)
        for class_id in d.classes:
            homework.extend(plan_homework(d, class_id, day))
    return overrides, homework


def _busy_teachers(d: Directory, weekday: int, number: int) -> set[str]:
    return {s.teacher_id for s in d.slots if s.weekday == weekday and s.number == number}


def _previous_lesson_day(d: Directory, class_id: str, subject_id: str, due: date) -> date | None:
    """Homework is set at the previous lesson of the subject (within two weeks)."""
    start = due - timedelta(days=14)
    candidates = [
        day
        for day in school_days(start, due - timedelta(days=1))
        if any(s.subject_id == subject_id for s in d.template.get((class_id, day.weekday()), []))
    ]
    return candidates[-1] if candidates else None
