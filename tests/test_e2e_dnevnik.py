"""The whole bot on Дневник.ру: the real `ediary-bot` process with only EDIARY_PROVIDER=dnevnik, DNEVNIK_API_URL
and DNEVNIK_TOKEN, against the fake Дневник.ру (its own thread, its school moved to this week) and the fake
Bot API server. Staff list people and issue codes, a parent of two and a teacher link and read, new and
corrected marks reach the parent, an outage alerts nobody and deletes nothing, and a refused token reaches
the admins once."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import UTC, date, datetime, time
from pathlib import Path
from zoneinfo import ZoneInfo

from aiogram.types import Message

from storage import links as links_repo
from storage import preferences as prefs_repo
from storage import seen as seen_repo
from storage import users as users_repo
from storage.db import Database
from tests.e2e import RunningBot, outbox_settled, running_bot, wait_until
from tests.fakes.dnevnik_school import SUBJECTS, Lesson, School, build_school
from tests.fakes.dnevnik_server import DnevnikFakeServer, serving_in_thread
from tests.harness import FakeTelegram
from tests.harness.fake_api import FakeUser

SCHOOL_TZ = ZoneInfo("Europe/Moscow")  # the default TIMEZONE
PARENT, TEACHER, ADMIN = 1001, 1002, 9001
FOOTER = "ℹ️ Этот электронный дневник не сообщает о заменах, переносах кабинетов и отменах уроков"
MARKS = "edu-groups/*/marks/*"


@contextmanager
def fake_dnevnik() -> Iterator[DnevnikFakeServer]:
    with serving_in_thread(DnevnikFakeServer(build_school(school_today()))) as fake:
        yield fake


def school_today() -> date:
    return datetime.now(SCHOOL_TZ).date()


def school_now() -> datetime:
    """Now as Дневник.ру writes it: school-local, no offset."""
    return datetime.now(SCHOOL_TZ).replace(tzinfo=None, microsecond=0)


def only_the_provider(fake: DnevnikFakeServer) -> dict[str, str]:
    """What a school sets: the provider, its address and a token (the school is the one the token sees)."""
    values = fake.settings_values(school=False)
    assert set(values) == {"ediary_provider", "dnevnik_api_url", "dnevnik_token"}
    return values


def last_lesson(school: School, class_name: str, subject: int | None = None) -> Lesson:
    """The class's latest lesson up to today (of a subject): a mark given now belongs to it."""
    group = school.group_by_name(class_name)
    today = school_today()
    found = [
        x for x in school.lessons.values() if x.group == group.id and x.day <= today and subject in (None, x.subject)
    ]
    return max(found, key=lambda x: (x.day, x.number))


def texts(user: FakeUser) -> list[str]:
    return [m.text or "" for m in user.history]


async def link_with_code(user: FakeUser, invitation: dict, name: str) -> str:
    """The deep link from the printed card; returns what the bot says the account is now linked to."""
    await user.send("/start " + invitation["link"].split("start=")[1])
    prompt = await user.wait_reply(predicate=lambda m: name in (m.text or ""))
    await user.click(prompt, "✅ Да, привязать")
    done = await user.wait_reply(predicate=lambda m: (m.text or "").startswith("✅ Готово!"))
    await user.wait_reply(predicate=lambda m: "/me" in (m.text or ""))  # the hint after linking
    return done.text or ""


async def test_staff_link_a_parent_of_two_and_a_teacher_who_read_marks_grades_and_today(tmp_path: Path) -> None:
    with fake_dnevnik() as fake:
        school = fake.school
        mother = school.student("Новикова", "Светлана")
        artyom, ilya = school.student("Новиков", "Артём"), school.student("Новиков", "Илья")
        teacher = school.student("Соколова", "Ирина")
        maths = last_lesson(school, "5А", subject=1001)
        fake.add_mark(artyom.id, maths.id, "4", when=school_now(), work_type=103)  # a mark of today
        async with (
            FakeTelegram(token="42:TEST") as tg,
            running_bot(tmp_path, tg, bot_username="ediary_test_bot", **only_the_provider(fake)) as bot,
        ):
            people = {row["id"]: row for row in await bot.cli_json("people", "--json")}
            assert people[mother.id]["children"] == [artyom.id, ilya.id]
            assert people[mother.id]["classes"] == ["5А", "6Б"]
            assert people[teacher.id]["subjects"] == ["Математика"] and people[teacher.id]["homeroom"] == "5А"
            assert people[artyom.id] == {
                "id": artyom.id,  # the `_str` id: beyond 2^53, exact
                "name": "Новиков Артём Ильич",
                "role": "student",
                "class": "5А",
                "parents": [mother.id],
            }
            [for_mother] = await bot.cli_json("invite", "--person", mother.id, "--json")
            [for_teacher] = await bot.cli_json("invite", "--person", teacher.id, "--json")

            parent = tg.user(PARENT, first_name="Светлана", language_code="ru")
            linked = await link_with_code(parent, for_mother, "Новикова Светлана Юрьевна")
            assert "Новиков Артём Ильич — 5А" in linked and "Новиков Илья Ильич — 6Б" in linked

            await parent.send("/marks")
            marks = await parent.wait_reply(predicate=lambda m: "Артём Новиков, 5А" in (m.text or ""))
            assert "Илья Новиков, 6Б" in marks.text
            assert "Математика: 4 — Самостоятельная работа" in marks.text

            await parent.send("/grades")
            chooser = await parent.wait_reply(predicate=lambda m: m.text == "Чьи оценки показать?")
            await parent.click(chooser, "Артём Новиков, 5А")
            subjects = await parent.wait_reply(predicate=lambda m: (m.text or "").startswith("📚 Артём Новиков, 5А"))
            await parent.click(subjects, "Математика")
            subject = await parent.wait_reply(predicate=lambda m: (m.text or "").startswith("📘 Математика"))
            assert "4 · Самостоятельная работа, вес 2" in subject.text

            await parent.send("/today")
            whose = await parent.wait_reply(predicate=lambda m: (m.text or "").endswith("Чьё расписание показать?"))
            await parent.click(whose, "👤 Илья Новиков, 6Б")
            day = await parent.wait_reply(predicate=lambda m: "Илья Новиков" in (m.text or ""))
            assert_day(day, school, [x for x in school.lessons.values() if x.group == school.group_by_name("6Б").id])

            colleague = tg.user(TEACHER, first_name="Ирина", language_code="ru")
            linked = await link_with_code(colleague, for_teacher, "Соколова Ирина Владимировна")
            assert "учитель (Математика); классный руководитель 5А" in linked
            await colleague.send("/today")
            day = await colleague.wait_reply(predicate=lambda m: (m.text or "").startswith("📅"))
            assert_day(day, school, [x for x in school.lessons.values() if x.teacher == teacher.id])
    log = bot.log()
    assert fake.static_token not in log and for_mother["code"] not in log
    assert "Новиков" not in log and "Соколова" not in log


def assert_day(day: Message, school: School, lessons: list[Lesson]) -> None:
    """Today's lessons of these (from the fake school) with their bell times, or "no lessons"; the footer that
    substitutions are not known either way."""
    today = [x for x in lessons if x.day == school_today()]
    text = day.text or ""
    assert FOOTER in text
    if not today:
        assert "уроков нет" in text
    for x in today:
        start, end = next((s, e) for n, s, e in school.groups[x.group].bells if n == x.number)
        assert f"{x.number}. {start:%H:%M}–{end:%H:%M} · " in text and SUBJECTS[x.subject] in text, text


# --- alerts -------------------------------------------------------------------------------------------
async def link_parent_in_the_database(path: Path, mother_id: str) -> None:
    """Linking has its own test above; here the link goes straight into the bot's database (quiet hours
    off, so a night-time run is not deferred)."""
    db = await Database.open(path)
    try:
        now = datetime.now(UTC)
        await users_repo.touch_user(db, PARENT, "ru", now)
        await links_repo.add_link(db, PARENT, mother_id, "parent", now)
        prefs = replace(await prefs_repo.get_preferences(db, PARENT), quiet_start=time(0), quiet_end=time(0))
        await prefs_repo.save_preferences(db, PARENT, prefs)
    finally:
        await db.close()


def is_grade_alert(message: Message) -> bool:
    return (message.text or "").startswith("📝")


async def test_new_and_corrected_marks_reach_the_parent_and_an_outage_alerts_nobody(tmp_path: Path) -> None:
    database = tmp_path / "bot.sqlite3"
    with fake_dnevnik() as fake:
        school = fake.school
        mother = school.student("Новикова", "Светлана")
        artyom, ilya = school.student("Новиков", "Артём"), school.student("Новиков", "Илья")
        await link_parent_in_the_database(database, mother.id)
        async with (
            FakeTelegram(token="42:TEST") as tg,
            running_bot(tmp_path, tg, poll_interval_seconds="5", **only_the_provider(fake)) as bot,
        ):
            parent = tg.user(PARENT, first_name="Светлана", language_code="ru")
            db = await Database.open(database)
            try:
                await wait_first_sync(db, {"5А": artyom.id, "6Б": ilya.id})
                assert not any(is_grade_alert(m) for m in parent.history)  # the first sync is silent

                mark = fake.add_mark(artyom.id, last_lesson(school, "5А", 1001).id, "5", when=school_now())
                new = await parent.wait_reply(predicate=is_grade_alert)
                assert new.text.startswith("📝 Новая оценка: Артём Новиков")
                assert "Математика: 5 — Ответ на уроке" in new.text

                fake.set_mark(mark, "4")
                corrected = await parent.wait_reply(predicate=is_grade_alert)
                assert corrected.text.startswith("📝 Изменения в оценках: Артём Новиков")
                assert "Математика: 5 → 4" in corrected.text

                await outage_alerts_nobody(fake, bot, db)

                fake.add_mark(ilya.id, last_lesson(school, "6Б", 1002).id, "3", when=school_now())
                recovered = await parent.wait_reply(predicate=is_grade_alert)
                assert recovered.text.startswith("📝 Новая оценка: Илья Новиков")
                await outbox_settled(db)  # anything wrong (a second copy, a removal) would have been sent
                assert sum(is_grade_alert(m) for m in parent.history) == 3
                assert not any("🗑" in text for text in texts(parent))
            finally:
                await db.close()
    log = bot.log()
    assert "works again" in log
    assert fake.static_token not in log and "Новиков" not in log and "Математика" not in log


async def wait_first_sync(db: Database, students: dict[str, str]) -> None:
    async def synced() -> bool:
        for class_name, student in students.items():
            if student not in await seen_repo.baselined(db, class_name):
                return False
        return True

    await wait_until(synced, "the bot did not poll both classes")


async def outage_alerts_nobody(fake: DnevnikFakeServer, bot: RunningBot, db: Database) -> None:
    """Three polls of each class fail (a 503 page, a maintenance page served as 200, a truncated answer):
    more than a record may be missed before it counts as removed. Nothing is told, nothing is forgotten."""
    seen_before = {c: await seen_repo.load(db, c, "grade") for c in ("5А", "6Б")}
    for kind in ("server-html", "maintenance-html"):
        fake.fail(MARKS, kind, times=8)  # both classes' polls, every retry of each
    fake.fail(MARKS, "truncated", times=1_000_000)

    async def three_failed_polls() -> bool:
        log = bot.log()
        return all(re.search(rf"poll of class {c} failed \(\w+\), attempt 3,", log) for c in ("5А", "6Б"))

    await wait_until(three_failed_polls, "three failed polls of each class")
    fake.heal()
    await wait_until(
        lambda: _contains(bot, ("poll of class 5А works again", "poll of class 6Б works again")), "the polls recover"
    )
    for class_name, before in seen_before.items():
        after = await seen_repo.load(db, class_name, "grade")
        assert {r.key for r in after} >= {r.key for r in before}  # nothing forgotten
        assert all(r.missing_count == 0 for r in after)  # a failed poll counts no record as missing


async def _contains(bot: RunningBot, parts: tuple[str, ...]) -> bool:
    log = bot.log()
    return all(part in log for part in parts)


# --- credentials ----------------------------------------------------------------------------------------
async def test_a_refused_token_reaches_the_admin_once_and_its_recovery_too(tmp_path: Path) -> None:
    with fake_dnevnik() as fake:
        mother = fake.school.student("Новикова", "Светлана")
        await link_parent_in_the_database(tmp_path / "bot.sqlite3", mother.id)
        async with (
            FakeTelegram(token="42:TEST") as tg,
            running_bot(
                tmp_path, tg, poll_interval_seconds="5", admin_ids=str(ADMIN), **only_the_provider(fake)
            ) as bot,
        ):
            admin = tg.user(ADMIN, first_name="Наталья", language_code="ru")
            parent = tg.user(PARENT, first_name="Светлана", language_code="ru")
            fake.expire(fake.static_token)  # revoked at Дневник.ру
            notice = await admin.wait_reply(predicate=lambda m: (m.text or "").startswith("⚠️"))
            assert notice.text.startswith("⚠️ Бот не может читать электронный дневник (Дневник.ру)")
            assert (
                "Дневник.ру rejects DNEVNIK_TOKEN: set a new one, or run `ediary-bot dnevnik authorize`" in notice.text
            )
            failed_polls = bot.log().count("failed (ProviderAuthError)")
            await wait_until(  # the poll's next try comes after its backoff: the check ran again meanwhile
                lambda: _logged_more(bot, "failed (ProviderAuthError)", failed_polls), "the next refused poll"
            )
            await parent.send("/marks")  # a family meets the refusal too: an answer, not silence
            await parent.wait_reply()

            fake.grants[fake.static_token].expired = False  # the school sorted it out with Дневник.ру
            await parent.send("/marks")
            await parent.wait_reply(predicate=lambda m: "Артём Новиков, 5А" in (m.text or ""))
            again = await admin.wait_reply(predicate=lambda m: (m.text or "").startswith("✅"))
            assert again.text.startswith("✅ Бот снова читает электронный дневник (Дневник.ру)")
            db = await Database.open(tmp_path / "bot.sqlite3")
            try:
                await outbox_settled(db)
            finally:
                await db.close()
            assert [m.text[:1] for m in admin.history] == ["⚠", "✅"]
    log = bot.log()
    assert "credentials: dnevnik refuses the bot's credentials" in log and "ediary-bot dnevnik authorize" in log
    assert fake.static_token not in log


async def _logged_more(bot: RunningBot, text: str, than: int) -> bool:
    return bot.log().count(text) > than
