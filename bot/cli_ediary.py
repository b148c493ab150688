"""Admin commands on the e-diary side: `ediary-bot demo ...` (change the demo school) and `ediary-bot people`.

bot/cli.py calls `register(subparsers)`; every command sets `func(args) -> exit code`. Bad arguments give one
line `ediary-bot: error: ...` on stderr and exit code 2, and nothing is written.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import re
import sys
from datetime import date

from bot.cli_support import command_clock as _clock
from bot.cli_support import fail
from bot.clock import Clock
from bot.config import Settings, SettingsError, load_settings
from bot.ediary.model import Role, to_json
from bot.ediary.provider import EdiaryProvider, ProviderError

PROG = "ediary-bot"
_fail = fail


class UsageError(Exception):
    """One line for the admin; exit code 2."""


def register(subparsers: argparse._SubParsersAction) -> None:
    demo = subparsers.add_parser("demo", help="change the embedded demo e-diary (grades, homework, timetable)")
    demo.set_defaults(func=lambda args: _fail("demo: choose a command (see ediary-bot demo --help)"))
    commands = demo.add_subparsers(dest="demo_command", metavar="COMMAND")

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

    p = subparsers.add_parser("people", help="list the e-diary's students, parents and teachers with their ids")
    p.add_argument(
        "--class", dest="class_name", metavar="NAME", help="only this class (its students, their parents, its teachers)"
    )
    p.add_argument("--role", choices=[r.value for r in Role])
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.set_defaults(func=_people)


def build_parser() -> argparse.ArgumentParser:
    """A stand-alone parser with just these commands (tests; bot/cli.py has the full one)."""
    parser = argparse.ArgumentParser(prog=PROG)
    register(parser.add_subparsers(dest="command", required=True, metavar="COMMAND"))
    return parser


def main(argv: list[str] | None = None, *, clock: Clock | None = None) -> int:
    args = build_parser().parse_args(argv)
    args.clock = clock
    return args.func(args)


# demo commands: parse the arguments (sync, before anything is opened), then act on the demo school
def _demo_command(prepare):
    def run(args: argparse.Namespace) -> int:
        from bot.ediary.demo import DemoCommandError, DemoProvider

        async def act(settings: Settings, clock: Clock):
            provider = await DemoProvider.open(settings.demo_database_path, clock)
            try:
                return await action(provider, **params)
            finally:
                await provider.close()

        try:
            action, params = prepare(args)
            settings = load_settings()
            result = asyncio.run(act(settings, _clock(args, settings)))
        except (UsageError, DemoCommandError, SettingsError) as exc:
            return _fail(str(exc))
        except ProviderError as exc:
            return _fail(str(exc), code=1)
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


# people: through the generic provider, whatever EDIARY_PROVIDER is
def _people(args: argparse.Namespace) -> int:
    try:
        settings = load_settings()
        rows = asyncio.run(
            _people_rows(settings, _clock(args, settings), args.class_name, Role(args.role) if args.role else None)
        )
    except (UsageError, SettingsError) as exc:
        return _fail(str(exc))
    except ProviderError as exc:
        return _fail(str(exc), code=1)
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=2))
    else:
        print(_table(rows))
    return 0


async def _people_rows(settings: Settings, clock: Clock, class_name: str | None, role: Role | None) -> list[dict]:
    from bot.ediary import open_provider

    provider = await open_provider(settings, clock)
    try:
        if class_name is not None:
            known = await provider.list_classes()
            match = next((c for c in known if c.casefold() == class_name.strip().casefold()), None)
            if match is None:
                raise UsageError(f"unknown class {class_name!r} (classes: {', '.join(known)})")
            class_name = match
        return [
            await _describe(provider, person.id, person.role, person.full_name)
            for person in await provider.list_people(class_name, role)
        ]
    finally:
        await provider.close()


async def _describe(provider: EdiaryProvider, person_id: str, role: Role, name: str) -> dict:
    row: dict = {"id": person_id, "name": name, "role": role.value}
    if role == Role.STUDENT:
        student = await provider.get_student(person_id)
        row["class"] = student.class_name if student else None
        row["parents"] = [p.id for p in await provider.parents_of(person_id)]
    elif role == Role.PARENT:
        children = await provider.children_of(person_id)
        row["children"] = [c.id for c in children]
        row["classes"] = sorted({c.class_name for c in children})
    else:
        teacher = await provider.get_teacher(person_id)
        row["subjects"] = list(teacher.subjects) if teacher else []
        row["classes"] = list(teacher.classes) if teacher else []
        row["homeroom"] = teacher.homeroom_class if teacher else None
    return row


def _table(rows: list[dict]) -> str:
    def details(row: dict) -> str:
        if row["role"] == Role.STUDENT:
            return f"class {row['class']}; parents: {', '.join(row['parents']) or '-'}"
        if row["role"] == Role.PARENT:
            return f"children: {', '.join(row['children'])} ({', '.join(row['classes'])})"
        head = f"; homeroom {row['homeroom']}" if row["homeroom"] else ""
        return f"{', '.join(row['subjects'])}; classes {', '.join(row['classes'])}{head}"

    if not rows:
        return "(nobody)"
    id_width = max(len("ID"), *(len(r["id"]) for r in rows))
    name_width = max(len(r["name"]) for r in rows)
    lines = [f"{'ID':<{id_width}}  {'ROLE':<7}  {'NAME':<{name_width}}  DETAILS"]
    lines += [f"{r['id']:<{id_width}}  {r['role']:<7}  {r['name']:<{name_width}}  {details(r)}" for r in rows]
    return "\n".join(lines)


# helpers
def _parse_date(text: str, option: str) -> date:
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text.strip()):
            return date.fromisoformat(text.strip())
    except ValueError:
        pass
    raise UsageError(f"{option}: expected a date as YYYY-MM-DD, got {text!r}")


if __name__ == "__main__":
    sys.exit(main())
