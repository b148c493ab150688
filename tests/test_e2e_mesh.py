"""The whole bot on a МЭШ-shaped host (the fake МЭШ server, in this test's event loop) through the fake Bot API
server: the real `ediary-bot` process with EDIARY_PROVIDER=mesh and a staff token (school mode). The fake school
is built around today (the bot runs on the real clock), lessons every day, so no weekend leaves /today empty."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import replace
from datetime import date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from aiogram.types import Message

from storage import links as links_repo
from storage import preferences as prefs_repo
from storage import seen as seen_repo
from storage import users as users_repo
from storage.db import Database
from tests.e2e import RunningBot, outbox_settled, running_bot, wait_until
from tests.fakes.mesh.answers import PLAN as PLAN_API
from tests.fakes.mesh.answers import TEACHER as TEACHER_API
from tests.fakes.mesh.school import FakeSchool, Lesson, build_school
from tests.fakes.mesh_server import MeshFakeServer
from tests.harness import FakeTelegram, FakeUser

SCHOOL_TZ = ZoneInfo("Europe/Moscow")  # the default TIMEZONE
PARENT, TEACHER, ADMIN = 1001, 1002, 1900
MOTHER, SON, DAUGHTER, SUBSTITUTE = "7001", "9001", "9004", 5003  # the fake school's people
CLASSES = ("7-А", "7-Б")
KINDS = ("grade", "lesson", "homework")


def school_today() -> date:
    return datetime.now(SCHOOL_TZ).date()


def school_around(today: date) -> FakeSchool:
    """Lessons from two days ago to four days ahead; a mark for the son today."""
    school = build_school(first_day=today - timedelta(days=2), days=7)
    school.add_mark(int(SON), "Русский язык", "4", today, comment="Хорошо написал диктант")
    return school


async def quiet_hours_off(path: Path, *user_ids: int) -> None:
    """So that a night-time run is not deferred to the morning (linking itself is done with codes)."""
    db = await Database.open(path)
    try:
        now = datetime.now(SCHOOL_TZ)
        for user_id in user_ids:
            await users_repo.touch_user(db, user_id, "ru", now)
            prefs = await prefs_repo.get_preferences(db, user_id)
            await prefs_repo.save_preferences(db, user_id, replace(prefs, quiet_start=time(0), quiet_end=time(0)))
    finally:
        await db.close()


async def link_directly(path: Path, user_id: int, person_id: str, role: str) -> None:
    """For tests about something else than linking: the link written straight into the bot's database."""
    db = await Database.open(path)
    try:
        await links_repo.add_link(db, user_id, person_id, role, datetime.now(SCHOOL_TZ))
    finally:
        await db.close()


async def seen_records(path: Path) -> dict[tuple[str, str], list]:
    """Everything the poller has stored of the classes (keys, fingerprints, missing counts)."""
    db = await Database.open(path)
    try:
        return {(c, k): await seen_repo.load(db, c, k) for c in CLASSES for k in KINDS}
    finally:
        await db.close()


async def wait_baselined(path: Path, class_name: str, student_id: str) -> None:
    db = await Database.open(path)
    try:

        async def synced() -> bool:
            return student_id in await seen_repo.baselined(db, class_name)

        await wait_until(synced, f"the bot did not poll {class_name}")
    finally:
        await db.close()


@asynccontextmanager
async def bot_on_mesh(tmp_path: Path, tg: FakeTelegram, mesh: MeshFakeServer, token: str) -> AsyncIterator[RunningBot]:
    async with running_bot(
        tmp_path,
        tg,
        ediary_provider="mesh",
        mesh_api_url=mesh.url,
        mesh_token=token,
        mesh_refresh_token="",  # empty: unset, whatever the developer's environment says
        mesh_profile_id="",
        admin_ids=str(ADMIN),
        poll_interval_seconds="5",
        bot_username="ediary_test_bot",
    ) as bot:
        yield bot


async def link(bot: RunningBot, user: FakeUser, person_id: str, name: str) -> str:
    """The school issues a code with the CLI; the user opens the deep link and confirms. Returns the code."""
    [card] = await bot.cli_json("invite", "--person", person_id, "--json")
    await user.send("/start " + card["link"].split("start=")[1])
    prompt = await user.wait_reply(predicate=lambda m: name in text(m))
    await user.click(prompt, "✅ Да, привязать")
    await user.wait_reply(predicate=lambda m: "Готово" in text(m))
    return card["code"]


def text(message: Message) -> str:
    return message.text or ""


AHEAD = timedelta(minutes=15)  # a lesson ending sooner might be over before the bot's next poll


def lessons_to_substitute(school: FakeSchool, today: date) -> list[Lesson]:
    """One lesson of 7-А today (while one is still ahead) and one tomorrow; late in the day two tomorrow (the
    alerts speak of today and tomorrow only)."""
    tomorrow = today + timedelta(days=1)
    first = lesson_ahead(school, today) or lesson_ahead(school, tomorrow)
    assert first is not None
    second = lesson_ahead(school, tomorrow, besides=first)
    assert second is not None
    return [first, second]


def lesson_ahead(school: FakeSchool, day: date, besides: Lesson | None = None) -> Lesson | None:
    """A lesson of 7-А that day, not given by the substitute, not replaced, not ending soon (None: none left)."""
    now = datetime.now(SCHOOL_TZ)
    return next(
        (
            lesson
            for number in range(1, 5)
            if (lesson := school.lesson_at("7-А", day, number)).teacher_id != SUBSTITUTE
            and not lesson.replaced
            and lesson is not besides
            and datetime.combine(day, lesson.start, SCHOOL_TZ) + timedelta(minutes=lesson.minutes) > now + AHEAD
        ),
        None,
    )


def is_timetable_alert(message: Message) -> bool:
    return "замена — ведёт" in text(message)


async def test_school_mode_people_linking_marks_grades_today_and_a_substitution_alert(tmp_path: Path) -> None:
    today = school_today()
    database = tmp_path / "bot.sqlite3"
    await quiet_hours_off(database, PARENT, TEACHER)
    school = school_around(today)
    async with (
        MeshFakeServer(school=school, access_lifetime=timedelta(days=30)) as mesh,
        FakeTelegram(token="42:TEST") as tg,
        bot_on_mesh(tmp_path, tg, mesh, mesh.staff_token) as bot,
    ):
        # the school looks its people up, with the ids codes are issued for
        people = {row["id"]: row for row in await bot.cli_json("people", "--json")}
        assert len(people) == 5 + 2 + 3
        assert people[SON] == {
            "id": SON,
            "name": "Иванов Пётр Андреевич",
            "role": "student",
            "class": "7-А",
            "parents": [MOTHER],
        }
        assert (people[MOTHER]["children"], people[MOTHER]["classes"]) == ([SON, DAUGHTER], ["7-А", "7-Б"])
        assert (people["5001"]["subjects"], people["5001"]["homeroom"]) == (["Математика"], "7-А")

        parent = tg.user(PARENT, first_name="Светлана", language_code="ru")
        teacher = tg.user(TEACHER, first_name="Елена", language_code="ru")
        codes = [
            await link(bot, parent, MOTHER, "Иванова Светлана Викторовна"),
            await link(bot, teacher, str(SUBSTITUTE), "Кузнецова Елена Сергеевна"),
        ]
        await wait_baselined(database, "7-А", SON)  # the first poll is silent

        # /marks: each child's marks of today, or of the last day with marks
        await parent.send("/marks")
        marks = await parent.wait_reply(predicate=lambda m: "Пётр Иванов" in text(m))
        assert "Русский язык: 4" in text(marks) and "Хорошо написал диктант" in text(marks)
        assert "Ольга Иванова, 7-Б" in text(marks) and "Английский язык: 5" in text(marks)

        # /grades: a child, a subject, its marks with weight, work type and teacher
        await parent.send("/grades")
        chooser = await parent.wait_reply(predicate=lambda m: text(m) == "Чьи оценки показать?")
        await parent.click(chooser, "Пётр Иванов, 7-А")
        subjects = await parent.wait_reply(predicate=lambda m: text(m).startswith("📚"))
        assert text(subjects).startswith("📚 Пётр Иванов, 7-А\n"), text(subjects)
        await parent.click(subjects, "Математика")
        maths = await parent.wait_reply(predicate=lambda m: text(m).startswith("📘"))
        assert "5 · Контрольная работа, вес 2 · Петрова А. И." in text(maths), text(maths)

        # the school records a substitution in МЭШ, today (while a lesson is still ahead: one already over is
        # rightly no news) and tomorrow: the next poll tells the family
        replaced = lessons_to_substitute(school, today)
        for lesson in replaced:
            school.replace_lesson(lesson.id, SUBSTITUTE)
        alert = await parent.wait_reply(predicate=is_timetable_alert)
        assert "Изменения в расписании, 7-А" in text(alert), text(alert)
        assert text(alert).count("замена — ведёт Кузнецова Елена Сергеевна (по расписанию — ") == 2, text(alert)
        assert "Завтра" in text(alert)
        day_command = "/today" if replaced[0].day == today else "/tomorrow"

        # /today (or, late in the day, /tomorrow) shows the substitution the fake recorded
        await parent.send(day_command)
        whose = await parent.wait_reply(predicate=lambda m: "Чьё расписание показать?" in text(m))
        await parent.click(whose, "Пётр Иванов, 7-А")
        shown = text(await parent.wait_reply(predicate=lambda m: "🔁" in text(m)))
        assert "🔁 Замена: ведёт Кузнецова Е. С. (по расписанию — " in shown, shown

        # the substitute's own /today (/tomorrow) has the lesson she covers
        await teacher.send(day_command)
        covered = await teacher.wait_reply(predicate=lambda m: "7-А" in text(m))
        assert school.subjects[school.groups[replaced[0].group_id].subject_id] in text(covered), text(covered)
        assert not tg.sent("sendMessage", chat_id=ADMIN)  # a working 30-day token: nothing for the admins
    log = bot.log()
    assert "Traceback" not in log
    for secret in (mesh.staff_token, *codes):
        assert secret not in log
    assert "Иванов" not in log and "Кузнецова" not in log


async def test_an_expired_token_tells_the_admins_and_neither_alerts_nor_deletes(tmp_path: Path) -> None:
    today = school_today()
    database = tmp_path / "bot.sqlite3"
    await quiet_hours_off(database, PARENT, ADMIN)
    await link_directly(database, PARENT, MOTHER, "parent")
    school = school_around(today)
    async with MeshFakeServer(school=school, access_lifetime=timedelta(days=30)) as mesh, FakeTelegram("42:TEST") as tg:
        parent, admin = tg.user(PARENT, language_code="ru"), tg.user(ADMIN, language_code="ru")
        async with bot_on_mesh(tmp_path, tg, mesh, mesh.staff_token):
            for class_name, child in zip(CLASSES, (SON, DAUGHTER), strict=True):
                await wait_baselined(database, class_name, child)
        seen = await seen_records(database)
        assert seen[("7-А", "lesson")] and seen[("7-Б", "grade")]

        # meanwhile in МЭШ: a new mark, a substitution, a lesson gone; and the bot restarts on a token past its exp
        school.add_mark(int(SON), "Математика", "2", today)
        tomorrow = school.lesson_at("7-А", today + timedelta(days=1), 1)
        school.replace_lesson(tomorrow.id, SUBSTITUTE if tomorrow.teacher_id != SUBSTITUTE else 5001)
        del school.lessons[school.lesson_at("7-Б", today + timedelta(days=1), 2).id]
        expired = mesh.issue_token(expires_in=timedelta(minutes=-5))
        async with bot_on_mesh(tmp_path, tg, mesh, expired) as bot:
            notice = await admin.wait_reply(predicate=lambda m: "MESH_TOKEN" in text(m))
            assert "aupd_token" in text(notice) and expired not in text(notice)

            async def three_polls_failed() -> bool:
                return bot.log().count("ProviderAuthError") >= 3

            await wait_until(three_polls_failed, "the poller did not try three times")
            await parent.send("/marks")
            outage = await parent.wait_reply()
            assert "не отвечает" in text(outage), text(outage)

            db = await Database.open(database)
            try:
                await outbox_settled(db)
            finally:
                await db.close()
            assert [m.text for m in parent.history] == [text(outage)]  # no alert of any kind
            assert len(tg.sent("sendMessage", chat_id=ADMIN)) == 1  # told once
        assert await seen_records(database) == seen  # nothing recorded, no deletion counted
        assert all(r.headers.get("authorization") != f"Bearer {expired}" for r in mesh.requests)  # never sent
        log = bot.log()
        assert "МЭШ token expired at" in log and expired not in log


async def test_a_host_answering_403_is_reported_and_the_bot_recovers(tmp_path: Path) -> None:
    database = tmp_path / "bot.sqlite3"
    await quiet_hours_off(database, PARENT, ADMIN)
    await link_directly(database, PARENT, MOTHER, "parent")
    async with (
        MeshFakeServer(school=school_around(school_today()), access_lifetime=timedelta(days=30)) as mesh,
        FakeTelegram("42:TEST") as tg,
    ):
        mesh.forbid_all = True  # a host that moved or blocks this address answers 403 to everything
        admin, parent = tg.user(ADMIN, language_code="ru"), tg.user(PARENT, language_code="ru")
        async with bot_on_mesh(tmp_path, tg, mesh, mesh.staff_token) as bot:
            _, out, err = await bot.cli("people", "--json", expect=1)
            assert out == "" and err.count("\n") == 1, err
            assert err.startswith("ediary-bot: error: МЭШ: 127.0.0.1:") and "answers 403" in err
            assert "check MESH_API_URL" in err and "https://authedu.mosreg.ru" in err

            notice = await admin.wait_reply(predicate=lambda m: "MESH_API_URL" in text(m))
            assert "403" in text(notice)
            await parent.send("/marks")
            assert "не отвечает" in text(await parent.wait_reply())

            mesh.forbid_all = False  # the admins fixed MESH_API_URL's host (here: the host answers again)
            await parent.send("/marks")
            marks = await parent.wait_reply()
            assert "Пётр Иванов, 7-А" in text(marks) and "Русский язык: 4" in text(marks), text(marks)
            await admin.wait_reply(predicate=lambda m: text(m).startswith("✅"))  # and the admins hear so
        assert "answers 403 to the token's own profiles" in bot.log()


async def test_per_student_mode_on_a_parents_token(tmp_path: Path) -> None:
    today = school_today()
    database = tmp_path / "bot.sqlite3"
    await quiet_hours_off(database, PARENT)
    school = school_around(today)
    tomorrow = school.lesson_at("7-А", today + timedelta(days=1), 1)
    school.replace_lesson(tomorrow.id, SUBSTITUTE if tomorrow.teacher_id != SUBSTITUTE else 5001)
    async with (
        MeshFakeServer(school=school, access_lifetime=timedelta(days=30)) as mesh,
        FakeTelegram(token="42:TEST") as tg,
        bot_on_mesh(tmp_path, tg, mesh, mesh.family_token) as bot,
    ):
        # a parent's token sees that family only: the school issues the parent's code as usual
        people = {row["id"]: row for row in await bot.cli_json("people", "--json")}
        assert set(people) == {SON, DAUGHTER, MOTHER}
        assert people[MOTHER]["children"] == [SON, DAUGHTER]

        parent = tg.user(PARENT, first_name="Светлана", language_code="ru")
        code = await link(bot, parent, MOTHER, "Иванова Светлана Викторовна")
        await wait_baselined(database, f"7-А/{SON}", SON)  # each child is read on its own; the first read is silent

        await parent.send("/marks")
        marks = await parent.wait_reply(predicate=lambda m: "Пётр Иванов" in text(m))
        assert "Русский язык: 4" in text(marks) and "Хорошо написал диктант" in text(marks), text(marks)
        assert "Ольга Иванова, 7-Б" in text(marks) and "Английский язык: 5" in text(marks)

        await parent.send("/grades")
        chooser = await parent.wait_reply(predicate=lambda m: text(m) == "Чьи оценки показать?")
        await parent.click(chooser, "Пётр Иванов, 7-А")
        subjects = await parent.wait_reply(predicate=lambda m: text(m).startswith("📚"))
        await parent.click(subjects, "Математика")
        maths = await parent.wait_reply(predicate=lambda m: text(m).startswith("📘"))
        assert "5 · Контрольная работа, вес 2" in text(maths), text(maths)

        await parent.send("/tomorrow")
        whose = await parent.wait_reply(predicate=lambda m: "Чьё расписание показать?" in text(m))
        await parent.click(whose, "Пётр Иванов, 7-А")
        shown = text(await parent.wait_reply(predicate=lambda m: "Пётр Иванов, 7-А" in text(m)))
        assert "🔁 Замена" in shown, shown

        # a new mark in МЭШ: the next read of the child tells the parent
        school.add_mark(int(SON), "История", "5", today, comment="Отличный доклад")
        alert = await parent.wait_reply(predicate=lambda m: "История: 5" in text(m))
        assert text(alert).startswith("📝 Новая оценка: Пётр Иванов"), text(alert)
        assert not any(r.path.startswith((TEACHER_API, PLAN_API)) for r in mesh.requests)  # a parent's token: never
    log = bot.log()
    assert "Traceback" not in log and mesh.family_token not in log and code not in log
    assert "Иванов" not in log
