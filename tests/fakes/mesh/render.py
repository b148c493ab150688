"""The fake school in the JSON shapes of the МЭШ APIs (reference §3.4–3.5, field names as the clients use them):
the teacher API (bare arrays), the family mobile API (`{payload: [...]}`) and the event calendar."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from tests.fakes.mesh.school import (
    PERIODS_SCHEDULE_ID,
    SCHOOL_ID,
    FakeSchool,
    Homework,
    Lesson,
    Mark,
    Person,
    Student,
)

MSK = "+03:00"


def ru(day: date) -> str:
    return day.strftime("%d.%m.%Y")


def names(person: Person) -> dict:
    return {
        "last_name": person.last_name,
        "first_name": person.first_name,
        "middle_name": person.middle_name,
        "sex": person.sex,
    }


# teacher API
def group(school: FakeSchool, group_id: int) -> dict:
    g = school.groups[group_id]
    return {
        "id": g.id,
        "name": " ".join(filter(None, (school.classes[g.class_id], school.subjects[g.subject_id], g.label))),
        "subject_id": g.subject_id,
        "subject_name": school.subjects[g.subject_id],
        "class_level_id": 7,
        "class_unit_id": g.class_id,
        "class_unit_name": school.classes[g.class_id],
        "attestation_periods_schedule_id": PERIODS_SCHEDULE_ID,
        "is_metagroup": False,
        "student_count": sum(1 for s in school.students.values() if school.in_group(s, g)),
    }


def teacher_profile(school: FakeSchool, teacher_id: int) -> dict:
    t = school.teachers[teacher_id]
    return {
        "id": t.id,
        "user_id": t.id + 1_000_000,
        "school_id": SCHOOL_ID,
        **names(t),
        "assigned_group_ids": list(t.group_ids),
        "managed_class_unit_ids": list(t.homeroom_class_ids),
    }


def representative(person: Person) -> dict:
    return {"id": person.id, "user_id": person.id + 2_000_000, **names(person), "type": "parent", "phone": None}


def student_profile(school: FakeSchool, student: Student) -> dict:
    finals = [f for f in school.finals if f.student_id == student.id]
    return {
        "id": student.id,
        "person_id": student.guid,
        **names(student),
        "class_unit_id": student.class_id,
        "groups": [{"id": g.id, "name": group(school, g.id)["name"]} for g in school.groups_of(student)],
        "representatives": [representative(school.parents[p]) for p in student.parent_ids],
        "final_marks": [
            {
                "student_profile_id": student.id,
                "subject_id": f.subject_id,
                "attestation_period_id": f.period_id,
                "value": f.value,
                "is_year_mark": f.period_id is None,
                "no_mark": False,
            }
            for f in finals
        ],
    }


def schedule_item(school: FakeSchool, lesson: Lesson) -> dict:
    g = school.groups[lesson.group_id]
    return {
        "id": lesson.id,
        "date": [lesson.day.year, lesson.day.month, lesson.day.day],
        "time": [lesson.start.hour, lesson.start.minute],
        "duration": lesson.minutes,
        "group_id": g.id,
        "group_name": group(school, g.id)["name"],
        "class_unit_id": g.class_id,
        "class_unit_name": school.classes[g.class_id],
        "subject_id": g.subject_id,
        "subject_name": school.subjects[g.subject_id],
        "teacher_id": lesson.teacher_id,
        "room_number": lesson.room,
        "cancelled": lesson.cancelled,
        "replaced": lesson.replaced,
        "replaced_teacher_id": lesson.replaced_teacher_id,
        "lesson_name": None,
    }


def _grade_values(mark: Mark) -> list[dict]:
    five = float(mark.value.rstrip("+-")) if mark.value.rstrip("+-").isdigit() else None
    if five is None:
        return []
    return [{"name": mark.value, "grade_system_type": "five", "grade": {"origin": mark.value, "five": five}}]


def teacher_mark(school: FakeSchool, mark: Mark) -> dict:
    return {
        "id": mark.id,
        "student_profile_id": mark.student_id,
        "name": mark.value,
        "values": _grade_values(mark),
        "date": mark.day.isoformat(),
        "point_date": mark.point_date.isoformat() if mark.point_date else None,
        "is_point": mark.point_date is not None,
        "weight": mark.weight,
        "comment": mark.comment,
        "control_form_name": mark.control_form_name,
        "is_exam": mark.is_exam,
        "teacher_id": mark.teacher_id,
        "subject_id": school.groups[mark.group_id].subject_id,
        "group_id": mark.group_id,
        "schedule_lesson_id": mark.lesson_id,
        "created_at": mark.created_at.isoformat(),
        "updated_at": mark.updated_at.isoformat(),
    }


def teacher_homework(school: FakeSchool, homework: Homework) -> dict:
    return {
        "id": homework.id,
        "group_id": homework.group_id,
        "subject_id": school.groups[homework.group_id].subject_id,
        "date_assigned_on": ru(homework.assigned),
        "date_prepared_for": ru(homework.due),
        "homework_entries": [{"id": i, "description": text, "attachments": []} for i, text in homework.entries],
    }


def periods_schedule(school: FakeSchool) -> dict:
    return {
        "id": PERIODS_SCHEDULE_ID,
        "name": "Четверти",
        "periods": [
            {"id": i, "name": name, "begin_date": start.isoformat(), "end_date": end.isoformat()}
            for i, name, start, end in school.periods
        ],
    }


def academic_years(school: FakeSchool) -> list[dict]:
    return [
        {"id": i, "name": name, "begin_date": b.isoformat(), "end_date": e.isoformat(), "current_year": current}
        for i, name, b, e, current in school.years
    ]


# family API and event calendar
def family_child(school: FakeSchool, student: Student) -> dict:
    return {
        "id": student.id,
        "user_id": student.id + 3_000_000,
        **names(student),
        "birth_date": "2013-05-17",
        "school": {"id": SCHOOL_ID, "name": "ГБОУ Школа № 555", "short_name": "Школа № 555"},
        "class_name": school.classes[student.class_id],
        "class_level_id": 7,
        "class_unit_id": student.class_id,
        "groups": [
            {"id": g.id, "name": group(school, g.id)["name"], "subject_id": g.subject_id, "is_fake": False}
            for g in school.groups_of(student)
        ],
        "representatives": [representative(school.parents[p]) for p in student.parent_ids],
        "contingent_guid": student.guid,
        "sudir_login": None,
    }


def family_mark(school: FakeSchool, mark: Mark, with_subject: bool = True) -> dict:
    body = {
        "id": mark.id,
        "value": mark.value,
        "values": _grade_values(mark),
        "comment": mark.comment,
        "comment_exists": mark.comment is not None,
        "weight": mark.weight,
        "control_form_name": mark.control_form_name,
        "is_exam": mark.is_exam,
        "is_point": mark.point_date is not None,
        "point_date": mark.point_date.isoformat() if mark.point_date else None,
        "date": mark.day.isoformat(),
        "created_at": mark.created_at.isoformat(),
        "updated_at": mark.updated_at.isoformat(),
    }
    if with_subject:
        subject_id = school.groups[mark.group_id].subject_id
        body |= {"subject_id": subject_id, "subject_name": school.subjects[subject_id]}
    return body


def subject_marks(school: FakeSchool, student: Student) -> list[dict]:
    result = []
    for subject_id, name in school.subjects.items():
        periods: list[dict] = []
        for period_id, title, start, end in school.periods:
            final = next(
                (
                    f
                    for f in school.finals
                    if (f.student_id, f.subject_id, f.period_id) == (student.id, subject_id, period_id)
                ),
                None,
            )
            periods.append(
                {
                    "title": title,
                    "start": ru(start),
                    "end": ru(end),
                    "start_iso": start.isoformat(),
                    "end_iso": end.isoformat(),
                    "value": final.value if final else None,
                    "marks": [],
                }
            )
        result.append(
            {"subject_id": subject_id, "subject_name": name, "average": "4.50", "periods": periods, "year_mark": None}
        )
    return result


def event(school: FakeSchool, lesson: Lesson, student: Student) -> dict:
    g = school.groups[lesson.group_id]
    start = datetime.combine(lesson.day, lesson.start)
    entries = [
        {
            "homework_entry_id": entry_id,
            "date_assigned_on": hw.assigned.isoformat(),
            "date_prepared_for": hw.due.isoformat(),
            "description": text,
            "attachments": [],
        }
        for hw in school.homework.values()
        if hw.group_id == g.id and hw.due == lesson.day
        for entry_id, text in hw.entries
    ]
    marks = [m for m in school.marks.values() if m.lesson_id == lesson.id and m.student_id == student.id]
    return {
        "id": lesson.id,
        "source": "PLAN",
        "source_id": str(lesson.id),
        "start_at": start.isoformat() + MSK,
        "finish_at": (start + timedelta(minutes=lesson.minutes)).isoformat() + MSK,
        "subject_id": g.subject_id,
        "subject_name": school.subjects[g.subject_id],
        "room_name": f"Кабинет {lesson.room}",
        "room_number": lesson.room,
        "cancelled": lesson.cancelled,
        "replaced": lesson.replaced,
        "replaced_teacher_id": lesson.replaced_teacher_id,
        "lesson_theme": None,
        "group_id": g.id,
        "group_name": group(school, g.id)["name"],
        "class_unit_name": school.classes[g.class_id],
        "homework": {"presence_status_id": 1, "total_count": len(entries), "entries": entries},
        "marks": [family_mark(school, m, with_subject=False) for m in marks],
    }
