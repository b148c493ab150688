"""How DnevnikProvider meets a failing Дневник.ру: 5xx bursts and timeouts are retried, rate limits are
waited out (Retry-After honoured, every request pausing), both error forms (JSON and HTML) map to the
protocol's errors, malformed answers are IncompleteAnswer, and requests in flight stay bounded."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from datetime import date, datetime, time
from pathlib import Path

import pytest

from bot.clock import ManualClock, SystemClock
from bot.config import Settings, load_settings
from bot.ediary.dnevnik import open_dnevnik
from bot.ediary.dnevnik.client import RetryPolicy
from bot.ediary.dnevnik.errors import DnevnikApiError
from bot.ediary.dnevnik.provider import DnevnikProvider
from bot.ediary.provider import IncompleteAnswer, ProviderAuthError, ProviderUnavailable
from tests.fakes.dnevnik_server import ALL_SCOPES, DnevnikFakeServer

TODAY = date(2026, 11, 25)
FAST = RetryPolicy(base_delay=0.01, max_delay=0.02, rate_limit_delay=0.01, rate_limit_budget=5)
MARKS = "edu-groups/*/marks/*"


def dnevnik_settings(fake: DnevnikFakeServer, tmp_path: Path, **overrides: object) -> Settings:
    values: dict[str, object] = {"_env_file": None, "database_path": tmp_path / "bot.sqlite3", **fake.settings_values()}
    return load_settings(**(values | overrides))


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(datetime.combine(TODAY, time(10, 0)), "Europe/Moscow")


@pytest.fixture
async def fake() -> AsyncIterator[DnevnikFakeServer]:
    async with DnevnikFakeServer() as server:
        yield server


@pytest.fixture
async def dnevnik(fake: DnevnikFakeServer, tmp_path: Path, clock: ManualClock) -> AsyncIterator[DnevnikProvider]:
    provider = await open_dnevnik(dnevnik_settings(fake, tmp_path), clock, policy=FAST)
    await provider.class_grades("5А", TODAY, TODAY)  # reference data in the cache: requests below are the poll's
    yield provider
    await provider.close()


def statuses(fake: DnevnikFakeServer, fragment: str) -> list[int]:
    return [r.status for r in fake.requests_to(fragment)]


async def test_a_5xx_burst_is_retried(dnevnik, fake):
    fake.fail(MARKS, "server-html", times=2)  # 503 with an HTML page
    fake.fail("edu-groups/*/lessons/*", "server-json")  # 500 apiServerError
    before = {"marks": len(statuses(fake, "/marks/")), "lessons": len(statuses(fake, "/lessons/"))}
    grades = await dnevnik.class_grades("5А", TODAY, TODAY)
    assert grades
    assert statuses(fake, "/marks/")[before["marks"] :] == [503, 503, 200]
    assert statuses(fake, "/lessons/")[before["lessons"] :] == [500, 200]


async def test_a_lasting_outage_is_provider_unavailable_after_a_few_tries(dnevnik, fake):
    fake.fail(MARKS, "server-html", times=100)
    before = len(fake.requests_to("/marks/"))
    with pytest.raises(ProviderUnavailable, match="HTTP 503"):
        await dnevnik.class_grades("5А", TODAY, TODAY)
    assert len(fake.requests_to("/marks/")) - before == FAST.attempts


async def test_a_maintenance_page_served_as_200_is_an_outage_not_data(dnevnik, fake):
    fake.fail(MARKS, "maintenance-html", times=1)
    before = len(fake.requests_to("/marks/"))
    assert await dnevnik.class_grades("5А", TODAY, TODAY)  # retried like a 5xx
    assert statuses(fake, "/marks/")[before:] == [200, 200]
    fake.fail(MARKS, "maintenance-html", times=100)
    with pytest.raises(ProviderUnavailable, match="HTML page"):
        await dnevnik.class_grades("5А", TODAY, TODAY)


async def test_a_timeout_is_retried_then_unavailable_on_the_real_clock(fake, tmp_path):
    policy = RetryPolicy(base_delay=0.01, max_delay=0.02, timeout=0.5, connect_timeout=5)
    provider = await open_dnevnik(dnevnik_settings(fake, tmp_path), SystemClock(), policy=policy)
    try:
        fake.fail("edu-groups/*/persons", "stall", times=1)
        assert await provider.class_students("5А")  # the stalled try timed out, the next answered
        fake.fail("edu-groups/*/persons", "stall", times=100)
        provider.cache.forget()
        with pytest.raises(ProviderUnavailable, match="ReadTimeout"):
            await provider.class_students("6Б")
    finally:
        fake.heal()
        await provider.close()


async def test_html_forbidden_is_an_auth_error_and_not_retried(dnevnik, fake):
    fake.fail(MARKS, "forbidden-html")
    before = len(fake.requests_to("/marks/"))
    with pytest.raises(ProviderAuthError, match="forbidden") as caught:
        await dnevnik.class_grades("5А", TODAY, TODAY)
    assert caught.value.missing_scope is None
    assert len(fake.requests_to("/marks/")) - before == 1


async def test_a_missing_scope_is_named_and_reported(fake, tmp_path, clock):
    token = fake.grant(ALL_SCOPES - {"FriendsAndRelatives"})
    provider = await open_dnevnik(dnevnik_settings(fake, tmp_path, dnevnik_token=token), clock, policy=FAST)
    try:
        students = await provider.class_students("5А")  # EducationalInfo is there
        with pytest.raises(ProviderAuthError) as caught:
            await provider.parents_of(students[0].id)
        assert caught.value.missing_scope == "FriendsAndRelatives"
        problem = provider.auth_status().problem
        assert problem is not None and "FriendsAndRelatives" in problem and "DNEVNIK_TOKEN" in problem
    finally:
        await provider.close()


async def test_request_limit_in_json_backs_off_and_succeeds(dnevnik, fake):
    fake.fail(MARKS, "limit-json", times=3)  # HTTP 400 {type: apiRequestLimit}
    before = len(fake.requests_to("/marks/"))
    assert await dnevnik.class_grades("5А", TODAY, TODAY)
    assert statuses(fake, "/marks/")[before:] == [400, 400, 400, 200]


async def test_http_429_honours_retry_after_on_the_real_clock(fake, tmp_path):
    provider = await open_dnevnik(dnevnik_settings(fake, tmp_path), SystemClock(), policy=FAST)
    try:
        fake.fail("edu-groups/*/persons", "limit-429", retry_after="1")
        assert await provider.class_students("5А")
        limited, answered = fake.requests_to("/persons")
        assert (limited.status, answered.status) == (429, 200)
        assert answered.at - limited.at >= 1.0
    finally:
        await provider.close()


class PauseSignal(logging.Handler):
    """Set once the client has paused its requests (it logs right after)."""

    def __init__(self) -> None:
        super().__init__()
        self.paused = asyncio.Event()

    def emit(self, record: logging.LogRecord) -> None:
        if "all requests pause" in record.getMessage():
            self.paused.set()


async def test_a_rate_limit_pauses_every_request_of_the_token(fake, tmp_path):
    provider = await open_dnevnik(dnevnik_settings(fake, tmp_path), SystemClock(), policy=FAST)
    signal = PauseSignal()
    logging.getLogger("bot.ediary.dnevnik.client").addHandler(signal)
    try:
        first, second = await provider.directory.classes()
        fake.fail(f"edu-groups/{first.id}/persons", "limit-429", retry_after="1")
        limited_read = asyncio.create_task(provider.directory.roster(first))
        await asyncio.wait_for(signal.paused.wait(), 60)
        await provider.directory.roster(second)  # not limited itself, yet it waits with the token
        await limited_read
        limited = next(r for r in fake.requests if r.status == 429)
        other = fake.requests_to(f"edu-groups/{second.id}/persons")[0]
        assert other.at - limited.at >= 1.0
    finally:
        logging.getLogger("bot.ediary.dnevnik.client").removeHandler(signal)
        await provider.close()


async def test_rate_limits_beyond_the_wait_budget_fail_the_read(dnevnik, fake):
    fake.fail(MARKS, "limit-429", times=5, retry_after="60")  # longer than a poll may wait: fail at once
    with pytest.raises(ProviderUnavailable, match="rate limited"):
        await dnevnik.class_grades("5А", TODAY, TODAY)
    assert len(fake.requests_to("/marks/")) == 2  # the fixture's read and this one, not waited on


@pytest.mark.parametrize("kind", ["malformed", "truncated"])
async def test_a_malformed_answer_is_incomplete(dnevnik, fake, kind):
    fake.fail(MARKS, kind)
    with pytest.raises(IncompleteAnswer):
        await dnevnik.class_grades("5А", TODAY, TODAY)
    assert await dnevnik.class_grades("5А", TODAY, TODAY)  # the next poll reads it whole


async def test_recent_marks_paging_that_does_not_advance_is_incomplete(dnevnik, fake):
    ivanov = fake.school.student("Иванов", "Пётр").id
    stamp = next(m for m in fake.school.marks.values() if m.person == ivanov).when
    for mark in fake.school.marks.values():
        if mark.person == ivanov:
            mark.when = stamp  # 100+ marks at one instant: `fromDate` cannot page past them
    with pytest.raises(IncompleteAnswer, match="paging"):
        await dnevnik.student_grades(ivanov, date(2026, 9, 1), TODAY)


async def test_an_unknown_resource_is_a_plain_provider_error(dnevnik, fake):
    fake.fail("edu-groups/*/final-marks", "not-found")
    with pytest.raises(DnevnikApiError) as caught:
        await dnevnik.final_marks(fake.school.student("Иванов", "Пётр").id)
    assert (caught.value.status, caught.value.error_type) == (404, "resourceNotFound")


async def test_requests_in_flight_stay_within_the_bound(fake, tmp_path, clock):
    provider = await open_dnevnik(dnevnik_settings(fake, tmp_path, dnevnik_max_concurrency=3), clock, policy=FAST)
    try:
        fake.hold_until_concurrent(3, total=10)
        path = f"work-types/{fake.school.id}"
        answers = await asyncio.gather(*(provider.client.get(path, "work-types/{s}") for _ in range(10)))
        assert len(answers) == 10 and fake.max_in_flight == 3
    finally:
        await provider.close()


async def test_logs_name_endpoints_never_tokens_or_ids(dnevnik, fake, caplog):
    caplog.set_level(logging.DEBUG, logger="bot.ediary.dnevnik")
    fake.fail(MARKS, "limit-json")
    fake.fail(MARKS, "server-html")
    await dnevnik.class_grades("5А", TODAY, TODAY)
    text = "\n".join(r.getMessage() for r in caplog.records if r.name.startswith("bot.ediary.dnevnik"))
    assert "edu-groups/{g}/marks" in text
    assert fake.static_token not in text and fake.school.group_by_name("5А").id not in text
