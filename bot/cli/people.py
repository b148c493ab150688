"""`ediary-bot people`: the e-diary's students, parents and teachers with their ids, whatever EDIARY_PROVIDER is."""

from __future__ import annotations

import argparse
import asyncio
import json

from bot.cli.support import UsageError, command_clock, fail, load
from bot.clock import Clock
from bot.config import Settings, SettingsError
from bot.ediary.model import Role
from bot.ediary.provider import EdiaryProvider, ProviderError
from bot.invite.people import match_class


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser("people", help="list the e-diary's students, parents and teachers with their ids")
    p.add_argument(
        "--class", dest="class_name", metavar="NAME", help="only this class (its students, their parents, its teachers)"
    )
    p.add_argument("--role", choices=[r.value for r in Role])
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.set_defaults(func=_people)


# people: through the generic provider, whatever EDIARY_PROVIDER is
def _people(args: argparse.Namespace) -> int:
    try:
        settings = load(args)
        rows = asyncio.run(
            _people_rows(
                settings, command_clock(args, settings), args.class_name, Role(args.role) if args.role else None
            )
        )
    except (UsageError, SettingsError) as exc:
        return fail(str(exc))
    except ProviderError as exc:
        return fail(str(exc), code=1)
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
            match = match_class(class_name, known)
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
