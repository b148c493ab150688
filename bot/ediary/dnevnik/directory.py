"""The school's people from Дневник.ру, read lazily and kept for PEOPLE_TTL: classes, rosters, parents
(`users/{userId}/relatives`, which needs the pupil's login account), teachers (`schools/{s}/teachers`,
PascalCase) and who teaches which class (`edu-groups/{g}/teachers`)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

from bot.ediary.dnevnik import mapping
from bot.ediary.dnevnik.cache import PEOPLE_TTL, REFERENCE_TTL, TtlCache
from bot.ediary.dnevnik.client import DnevnikClient
from bot.ediary.dnevnik.fields import Fields
from bot.ediary.dnevnik.mapping import Group, IdTable, Member, TeacherRecord
from bot.ediary.model import Person, Role, Subject, Teacher


class Directory:
    def __init__(self, client: DnevnikClient, cache: TtlCache, fields: Callable[[str], Fields], school_id: str) -> None:
        self.client = client
        self.cache = cache
        self.fields = fields
        self.school_id = school_id

    async def _get(self, path: str, endpoint: str) -> Any:
        return await self.client.get(path, endpoint)

    # classes
    async def classes(self) -> list[Group]:
        async def load() -> list[Group]:
            f = self.fields("schools/{s}/edu-groups")
            records = f.answer_list(await self._get(f"schools/{self.school_id}/edu-groups", f.endpoint))
            found = f.each(
                (r for r in records if isinstance(r, dict) and mapping.is_class(f, r)), lambda r: mapping.group(f, r)
            )
            return sorted(found, key=lambda g: (g.name.casefold(), g.id))

        return await self.cache.get("classes", PEOPLE_TTL, load)

    async def find_class(self, name: str) -> Group | None:
        wanted = name.strip().casefold()
        return next((g for g in await self.classes() if wanted in (g.name.casefold(), g.id)), None)

    async def subjects(self, group: Group) -> IdTable[str]:
        async def load() -> IdTable[str]:
            f = self.fields("edu-groups/{g}/subjects")
            return mapping.subjects(f, f.answer_list(await self._get(f"edu-groups/{group.id}/subjects", f.endpoint)))

        return await self.cache.get(("subjects", group.id), REFERENCE_TTL, load)

    async def class_subjects(self, group: Group) -> list[Subject]:
        table = await self.subjects(group)
        return sorted((Subject(i, n) for i, n in table.by_id.items()), key=lambda s: (s.name, s.id))

    # students and parents
    async def roster(self, group: Group) -> list[Member]:
        async def load() -> list[Member]:
            f = self.fields("edu-groups/{g}/persons")
            records = f.answer_list(await self._get(f"edu-groups/{group.id}/persons", f.endpoint))
            return sorted(f.each(records, lambda r: mapping.member(f, r, group)), key=lambda m: m.person.full_name)

        return await self.cache.get(("roster", group.id), PEOPLE_TTL, load)

    async def members(self) -> dict[str, Member]:
        rosters = await asyncio.gather(*(self.roster(g) for g in await self.classes()))
        return {m.person.id: m for roster in rosters for m in roster}

    async def member(self, student_id: str) -> Member | None:
        return (await self.members()).get(student_id)

    async def parents(self, member: Member) -> list[Person]:
        if member.user_id is None:
            return []  # a pupil without a login account: Дневник.ру links relatives to accounts

        async def load() -> list[Person]:
            f = self.fields("users/{u}/relatives")
            return mapping.relatives(f, await self._get(f"users/{member.user_id}/relatives", f.endpoint))

        return await self.cache.get(("relatives", member.user_id), PEOPLE_TTL, load)

    async def families(self, members: list[Member]) -> dict[str, tuple[Person, list[Member]]]:
        """Parent id -> (parent, their children among `members`)."""
        found = await asyncio.gather(*(self.parents(m) for m in members))
        families: dict[str, tuple[Person, list[Member]]] = {}
        for child, parents in zip(members, found, strict=True):
            for parent in parents:
                families.setdefault(parent.id, (parent, []))[1].append(child)
        return families

    # teachers
    async def teachers(self) -> dict[str, TeacherRecord]:
        async def load() -> dict[str, TeacherRecord]:
            f = self.fields("schools/{s}/teachers")
            records = f.answer_list(await self._get(f"schools/{self.school_id}/teachers", f.endpoint))
            return {t.person.id: t for t in f.each(records, lambda r: mapping.teacher_record(f, r))}

        return await self.cache.get("teachers", PEOPLE_TTL, load)

    async def group_teachers(self, group: Group) -> list[Person]:
        async def load() -> list[Person]:
            f = self.fields("edu-groups/{g}/teachers")
            records = f.answer_list(await self._get(f"edu-groups/{group.id}/teachers", f.endpoint))
            return list(f.each(records, lambda r: mapping.person(f, r, Role.TEACHER)))

        return await self.cache.get(("group-teachers", group.id), PEOPLE_TTL, load)

    async def teaching(self) -> dict[str, list[str]]:
        """Teacher id -> names of the classes they teach (lessons from a week ago to a month ahead)."""
        groups = await self.classes()
        lists = await asyncio.gather(*(self.group_teachers(g) for g in groups))
        result: dict[str, list[str]] = {}
        for group, people in zip(groups, lists, strict=True):
            for p in people:
                result.setdefault(p.id, []).append(group.name)
        return result

    async def homeroom_of(self, record: TeacherRecord) -> str | None:
        for ref in record.homerooms:
            found = await self.find_class(ref)
            if found is not None:
                return found.name
        return None

    async def teacher(self, teacher_id: str) -> Teacher | None:
        record = (await self.teachers()).get(teacher_id)
        if record is None:
            return None
        homeroom = await self.homeroom_of(record)
        classes = list((await self.teaching()).get(teacher_id, []))
        if homeroom and homeroom not in classes:
            classes.append(homeroom)
        return Teacher(record.person, record.subjects, tuple(sorted(classes)), homeroom)

    async def class_teachers(self, group: Group) -> list[Teacher]:
        records = await self.teachers()
        ids = [p.id for p in await self.group_teachers(group)]
        for record in records.values():
            if record.person.id not in ids and await self.homeroom_of(record) == group.name:
                ids.append(record.person.id)
        known = {p.id: p for p in await self.group_teachers(group)}
        result = []
        for teacher_id in ids:
            teacher = await self.teacher(teacher_id)
            if teacher is None:  # teaches the class but is not on the school's staff list (another school's)
                teacher = Teacher(known[teacher_id], (), (group.name,))
            result.append(teacher)
        return sorted(result, key=lambda t: (t.homeroom_class != group.name, t.person.full_name, t.id))
