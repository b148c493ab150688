"""`ediary-bot demo ...`: change the embedded demo school while the bot runs (the bot notices at its next poll).

Arguments are checked here, before anything is opened; bot/ediary/demo/commands.py carries the change out.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import re
import sqlite3
from datetime import date, time

from bot.cli.support import UsageError, command_clock, fail, load
from bot.clock import Clock
from bot.config import Settings, SettingsError
from bot.ediary.model import to_json
from bot.ediary.provider import ProviderError
from bot.invite.people import match_class

# what staff type -> the model's value (bot.ediary.model.EventAudience / EventKind)
EVENT_AUDIENCES = {"school": "school", "class": "class", "parents": "class_parents"}
EVENT_KINDS = {"meeting": "parent_meeting", "event": "school_event", "holiday": "holiday"}
# what staff type as an absence's reason -> bot.ediary.model.AbsenceReason
ABSENCE_REASONS = {
    **dict.fromkeys(("illness", "ill", "болезнь", "по болезни", "болел", "болела"), "illness"),
    **dict.fromkeys(("excused", "уважительная", "уважительная причина", "по уважительной причине"), "excused"),
    **dict.fromkeys(
        ("unexcused", "неуважительная", "без уважительной причины", "неуважительная причина", "прогул"), "unexcused"
    ),
}


def register(subparsers: argparse._SubParsersAction) -> None:
    demo = subparsers.add_parser(
        "demo", help="change the embedded demo e-diary (grades, homework, timetable, events, attendance)"
    )
    demo.set_defaults(func=lambda args: fail("demo: choose a command (see ediary-bot demo --help)"))
    commands = demo.add_subparsers(dest="demo_command", metavar="COMMAND")

    p = commands.add_parser(
        "init",
        help="create a demo school of any size (for load tests and benchmarks)",
        description="writes a generated school (deterministic: the same size gives the same school) to "
        "DEMO_DATABASE_PATH, its grades and plans generated through today; an existing file is kept unless "
        "--force replaces it (a running bot reads the new school at its next read)",
    )
    p.add_argument("--classes", required=True, help="how many classes (1 to 2000)")
    p.add_argument("--students-per-class", required=True, help="students in each class (1 to 60)")
    p.add_argument("--force", action="store_true", help="replace an existing demo school file")
    p.set_defaults(func=_init)

    p = commands.add_parser("add-grade", help="give a student a grade")
    p.add_argument("--student", required=True, help="student id, e.g. s01 (see `ediary-bot people`)")
    p.add_argument("--subject", required=True, help="subject name, e.g. Математика")
    p.add_argument("--value", required=True, help="5, 4-, 3+, н, зч...")
    p.add_argument("--date", help="YYYY-MM-DD (default: today)")
    p.add_argument("--work-type", help="e.g. 'Контрольная работа' (default: Ответ на уроке)")
    p.add_argument("--weight", help="default: the work type's weight")
    p.add_argument("--comment")
    p.set_defaults(func=_demo_command(_add_grade))

    p = commands.add_parser("change-grade", help="correct a grade's value")
    p.add_argument("--grade", required=True, help="grade id")
    p.add_argument("--value", required=True)
    p.set_defaults(func=_demo_command(_change_grade))

    p = commands.add_parser("delete-grade", help="remove a grade")
    p.add_argument("--grade", required=True, help="grade id")
    p.set_defaults(func=_demo_command(_delete_grade))

    p = commands.add_parser("add-homework", help="set homework for a class")
    p.add_argument("--class", dest="class_name", metavar="NAME", required=True, help="e.g. 5А")
    p.add_argument("--subject", required=True)
    p.add_argument("--due", required=True, help="YYYY-MM-DD")
    p.add_argument("--text", required=True)
    p.set_defaults(func=_demo_command(_add_homework))

    p = commands.add_parser(
        "substitute",
        help="change one lesson: substitute teacher, room, cancellation or an added lesson",
        description="--teacher ID [--room R] substitutes; --room R alone moves; --cancel cancels; "
        "--add --subject NAME --teacher ID [--room R] adds a lesson in a free slot",
    )
    p.add_argument("--class", dest="class_name", metavar="NAME", required=True, help="e.g. 5А")
    p.add_argument("--date", required=True, help="YYYY-MM-DD, a school day")
    p.add_argument("--lesson", required=True, help="lesson number in that day's timetable")
    p.add_argument("--teacher", help="teacher id, e.g. t05")
    p.add_argument("--room")
    p.add_argument("--cancel", action="store_true")
    p.add_argument("--add", action="store_true")
    p.add_argument("--subject", help="subject of an added lesson")
    p.add_argument("--reason", help="e.g. 'болезнь учителя'")
    p.set_defaults(func=_demo_command(_substitute))

    p = commands.add_parser(
        "add-event",
        help="add a school event, a parent meeting or a holiday",
        description="--audience school (everyone), class (a class's students and parents) or parents (a class's "
        "parents); without --time the event lasts all day",
    )
    p.add_argument("--title", required=True, help="e.g. 'Родительское собрание'")
    p.add_argument("--date", required=True, help="YYYY-MM-DD")
    p.add_argument("--time", help="HH:MM (default: all day)")
    p.add_argument("--end", help="HH:MM, the same day")
    p.add_argument("--audience", choices=EVENT_AUDIENCES, help="default: class with --class, else school")
    p.add_argument("--class", dest="class_name", metavar="NAME", help="e.g. 5А (audience class or parents)")
    p.add_argument("--kind", choices=EVENT_KINDS, help="default: meeting for parents, else event")
    p.add_argument("--place", help="e.g. 'Каб. 204'")
    p.add_argument("--description")
    p.set_defaults(func=_demo_command(_add_event))

    p = commands.add_parser(
        "mark-absent",
        help="record a student absent from (or late for) one lesson",
        description="without --late the student was absent; --reason illness, excused or unexcused "
        "(болезнь, уважительная, неуважительная) goes with an absence",
    )
    p.add_argument("--student", required=True, help="student id, e.g. s01 (see `ediary-bot people`)")
    p.add_argument("--date", required=True, help="YYYY-MM-DD, a school day, not in the future")
    p.add_argument("--lesson", required=True, help="lesson number in that day's timetable")
    p.add_argument("--late", metavar="MINUTES", help="late by this many minutes instead of absent")
    p.add_argument("--reason", help="illness, excused or unexcused (default: not given)")
    p.set_defaults(func=_demo_command(_mark_absent))


def _init(args: argparse.Namespace) -> int:
    from bot.ediary.demo.sized import MAX_CLASSES, MAX_STUDENTS_PER_CLASS, SchoolExists, create_school

    try:
        classes = _count(args.classes, "--classes", MAX_CLASSES)
        per_class = _count(args.students_per_class, "--students-per-class", MAX_STUDENTS_PER_CLASS)
        settings = load(args)
        if settings.ediary_provider != "demo":
            raise UsageError(f"demo init needs EDIARY_PROVIDER=demo (it is {settings.ediary_provider})")
        today = command_clock(args, settings).today()
    except (UsageError, SettingsError) as exc:
        return fail(str(exc))
    path = settings.demo_database_path
    try:
        made = asyncio.run(create_school(path, today, classes, per_class, replace=args.force))
    except SchoolExists as exc:
        return fail(str(exc))
    except (OSError, sqlite3.Error) as exc:
        return fail(f"cannot write {path}: {exc}", code=1)
    print(json.dumps(to_json(made), ensure_ascii=False, indent=2))
    return 0


def _count(text: str, option: str, most: int) -> int:
    if not re.fullmatch(r"\d{1,5}", text.strip()) or not 1 <= int(text) <= most:
        raise UsageError(f"{option}: expected a whole number from 1 to {most}, got {text!r}")
    return int(text)


# demo commands: parse the arguments (sync, before anything is opened), then act on the demo school
def _demo_command(prepare):
    def run(args: argparse.Namespace) -> int:
        from bot.ediary.demo import DemoCommandError, DemoProvider

        async def act(settings: Settings, clock: Clock):
            provider = await DemoProvider.open(settings.demo_database_path, clock)
            try:
                if params.get("class_name"):  # "5A" (a Latin A) is 5А; an unknown class is the command's to refuse
                    known = await provider.list_classes()
                    params["class_name"] = match_class(params["class_name"], known) or params["class_name"]
                return await action(provider, **params)
            finally:
                await provider.close()

        try:
            action, params = prepare(args)
            settings = load(args)
            if settings.ediary_provider != "demo":
                return fail(
                    f"demo commands need EDIARY_PROVIDER=demo (it is {settings.ediary_provider}): "
                    "change this school's data in its e-diary"
                )
            result = asyncio.run(act(settings, command_clock(args, settings)))
        except (UsageError, DemoCommandError, SettingsError) as exc:
            return fail(str(exc))
        except ProviderError as exc:
            return fail(str(exc), code=1)
        print(json.dumps(to_json(result), ensure_ascii=False, indent=2))
        return 0

    return run


def _add_grade(args):
    from bot.ediary.demo import commands

    weight = None
    if args.weight is not None:
        try:
            weight = float(args.weight.replace(",", "."))
        except ValueError:
            raise UsageError(f"--weight: expected a number, got {args.weight!r}") from None
        if not weight > 0:
            raise UsageError(f"--weight must be positive, got {args.weight}")
    day = _parse_date(args.date, "--date") if args.date else None
    return commands.add_grade, {
        "student_id": args.student.strip(),
        "subject": args.subject,
        "value": args.value,
        "day": day,
        "work_type": args.work_type,
        "weight": weight,
        "comment": args.comment,
    }


def _change_grade(args):
    from bot.ediary.demo import commands

    return commands.change_grade, {"grade_id": args.grade.strip(), "value": args.value}


def _delete_grade(args):
    from bot.ediary.demo import commands

    return commands.delete_grade, {"grade_id": args.grade.strip()}


def _add_homework(args):
    from bot.ediary.demo import commands

    return commands.add_homework, {
        "class_name": args.class_name,
        "subject": args.subject,
        "due": _parse_date(args.due, "--due"),
        "text": args.text,
    }


def _substitute(args):
    from bot.ediary.demo import commands

    if args.add and (args.subject is None or args.teacher is None):
        raise UsageError("--add needs --subject and --teacher")
    if args.subject is not None and not args.add:
        raise UsageError("--subject goes only with --add")
    if args.cancel and (args.add or args.teacher or args.room is not None):
        raise UsageError("--cancel goes alone (with an optional --reason)")
    if not (args.add or args.cancel or args.teacher or args.room is not None):
        raise UsageError("say what changes: --teacher ID [--room R], --room R, --cancel or --add")
    if not re.fullmatch(r"\d{1,2}", args.lesson.strip()):
        raise UsageError(f"--lesson: expected a lesson number, got {args.lesson!r}")
    return commands.change_lesson, {
        "class_name": args.class_name,
        "day": _parse_date(args.date, "--date"),
        "number": int(args.lesson),
        "teacher": args.teacher.strip() if args.teacher else None,
        "room": args.room,
        "cancel": args.cancel,
        "add_subject": args.subject if args.add else None,
        "reason": args.reason,
    }


def _add_event(args):
    from bot.ediary.demo import events
    from bot.ediary.model import EventAudience, EventKind

    audience = EventAudience(EVENT_AUDIENCES[args.audience or ("class" if args.class_name else "school")])
    if audience == EventAudience.SCHOOL and args.class_name is not None:
        raise UsageError("--class goes with --audience class or parents")
    if audience != EventAudience.SCHOOL and not (args.class_name and args.class_name.strip()):
        raise UsageError(f"--audience {args.audience} needs --class")
    default_kind = "meeting" if audience == EventAudience.CLASS_PARENTS else "event"
    at = _parse_time(args.time, "--time") if args.time is not None else None
    until = _parse_time(args.end, "--end") if args.end is not None else None
    if until is not None and at is None:
        raise UsageError("--end needs --time")
    return events.add_event, {
        "title": args.title,
        "day": _parse_date(args.date, "--date"),
        "at": at,
        "until": until,
        "kind": EventKind(EVENT_KINDS[args.kind or default_kind]),
        "audience": audience,
        "class_name": args.class_name.strip() if args.class_name else None,
        "place": args.place,
        "description": args.description,
    }


def _mark_absent(args):
    from bot.ediary.demo import attendance
    from bot.ediary.model import AbsenceReason

    if not re.fullmatch(r"\d{1,2}", args.lesson.strip()):
        raise UsageError(f"--lesson: expected a lesson number, got {args.lesson!r}")
    minutes = None
    if args.late is not None:
        if not re.fullmatch(r"\d{1,3}", args.late.strip()):
            raise UsageError(f"--late: expected minutes as a number, got {args.late!r}")
        minutes = int(args.late)
    reason = None
    if args.reason is not None:
        said = " ".join(args.reason.lower().replace("ё", "е").split())
        if said not in ABSENCE_REASONS:
            raise UsageError(
                f"--reason: expected illness, excused or unexcused (болезнь, уважительная, неуважительная), "
                f"got {args.reason!r}"
            )
        if minutes is not None:
            raise UsageError("--reason goes with an absence, not with --late")
        reason = AbsenceReason(ABSENCE_REASONS[said])
    return attendance.mark_absent, {
        "student_id": args.student.strip(),
        "day": _parse_date(args.date, "--date"),
        "number": int(args.lesson),
        "minutes_late": minutes,
        "reason": reason,
    }


# helpers
def _parse_time(text: str, option: str) -> time:
    if re.fullmatch(r"\d{1,2}:\d{2}", text.strip()):
        hours, minutes = (int(part) for part in text.strip().split(":"))
        if hours < 24 and minutes < 60:
            return time(hours, minutes)
    raise UsageError(f"{option}: expected a time as HH:MM, got {text!r}")


def _parse_date(text: str, option: str) -> date:
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text.strip()):
            return date.fromisoformat(text.strip())
    except ValueError:
        pass
    raise UsageError(f"{option}: expected a date as YYYY-MM-DD, got {text!r}")
