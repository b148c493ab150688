"""МЭШ client behaviour through the provider: retries, rate limits, a 403 host, a moved host, malformed and
partial answers, paging failures, skipped records and the concurrency bound."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from datetime import date, datetime

import pytest

from bot.clock import ManualClock
from bot.ediary.mesh import MeshProvider
from bot.ediary.provider import IncompleteAnswer, ProviderAuthError, ProviderUnavailable
from tests.fakes.mesh import render
from tests.fakes.mesh.connect import RecordedSleep, open_on
from tests.fakes.mesh_server import ACL, ACL_LEGACY, GROUPS, MARKS, SCHEDULE_ITEMS, MeshFakeServer

MONDAY, FRIDAY = date(2026, 11, 23), date(2026, 11, 27)


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(datetime(2026, 11, 25, 10, 0), "Europe/Moscow")


@pytest.fixture
async def fake(clock: ManualClock) -> AsyncIterator[MeshFakeServer]:
    async with MeshFakeServer(now=clock.now) as server:
        yield server


@pytest.fixture
def sleep() -> RecordedSleep:
    return RecordedSleep()


@pytest.fixture
async def school(fake: MeshFakeServer, clock: ManualClock, sleep: RecordedSleep) -> AsyncIterator[MeshProvider]:
    provider = await open_on(fake, clock, sleep=sleep)
    yield provider
    await provider.close()


async def test_5xx_is_retried_with_growing_backoff(school: MeshProvider, fake: MeshFakeServer, sleep) -> None:
    fault = fake.break_endpoint(GROUPS, status=503, times=2)
    assert await school.list_classes() == ["7-А", "7-Б"]
    assert fault.hits == 2 and len(fake.requests_to(GROUPS)) == 3
    assert len(sleep.delays) == 2 and 0 < sleep.delays[0] <= sleep.delays[1]


async def test_a_lasting_5xx_is_unavailable_after_the_attempts(school: MeshProvider, fake: MeshFakeServer) -> None:
    fake.break_endpoint(GROUPS, status=502)
    with pytest.raises(ProviderUnavailable, match="HTTP 502"):
        await school.list_classes()
    assert len(fake.requests_to(GROUPS)) == 4


async def test_429_waits_for_retry_after(school: MeshProvider, fake: MeshFakeServer, sleep) -> None:
    fake.break_endpoint(GROUPS, status=429, times=1, retry_after="7")
    assert await school.list_classes() == ["7-А", "7-Б"]
    assert sleep.delays == [7.0]


async def test_an_unreachable_host_is_unavailable(school: MeshProvider, fake: MeshFakeServer) -> None:
    await fake.__aexit__(None, None, None)  # the host goes away: connections are refused
    with pytest.raises(ProviderUnavailable, match="unreachable"):
        await school.list_classes()


async def test_a_host_answering_403_to_everything(fake: MeshFakeServer, clock: ManualClock) -> None:
    fake.forbid_all = True
    with pytest.raises(ProviderAuthError, match=r"403.*MESH_API_URL") as caught:
        await open_on(fake, clock)
    assert caught.value.missing_scope == "profile_info"
    assert len(fake.requests) == 1  # not retried


async def test_a_forbidden_endpoint_names_itself(school: MeshProvider, fake: MeshFakeServer) -> None:
    fake.break_endpoint(MARKS, status=403)
    with pytest.raises(ProviderAuthError) as caught:
        await school.class_grades("7-А", MONDAY, FRIDAY)
    assert caught.value.missing_scope == "marks" and len(fake.requests_to(MARKS)) == 1


async def test_a_moved_host_is_reported_with_where_it_points(fake: MeshFakeServer, clock: ManualClock) -> None:
    fake.redirect_to = "https://authedu.mosreg.example"
    with pytest.raises(ProviderUnavailable, match=r"redirects to authedu\.mosreg\.example.*MESH_API_URL"):
        await open_on(fake, clock)
    assert len(fake.requests) == 1


async def test_the_older_profile_path_is_tried_when_the_new_one_is_missing(
    fake: MeshFakeServer, clock: ManualClock
) -> None:
    fake.break_endpoint(ACL, status=404)
    provider = await open_on(fake, clock)
    try:
        assert provider.session.profile.id == "5001"
        assert [r.path for r in fake.requests] == [ACL, ACL_LEGACY]
    finally:
        await provider.close()


async def test_an_unknown_profile_id_is_refused_with_the_choices(fake: MeshFakeServer, clock: ManualClock) -> None:
    with pytest.raises(ProviderAuthError, match=r"MESH_PROFILE_ID 42 .*5001 \(teacher\)"):
        await open_on(fake, clock, profile_id="42")


@pytest.mark.parametrize(
    ("fault", "message"),
    [({"text_body": "<html>Технические работы</html>"}, "not JSON"), ({"json_body": {"items": []}}, "not a list")],
)
async def test_a_malformed_answer_is_incomplete(school: MeshProvider, fake: MeshFakeServer, fault, message) -> None:
    fake.break_endpoint(GROUPS, status=200, **fault)
    with pytest.raises(IncompleteAnswer, match=message):
        await school.list_classes()


async def test_a_failed_later_page_drops_the_whole_list(fake: MeshFakeServer, clock: ManualClock) -> None:
    provider = await open_on(fake, clock, per_page=3)
    try:
        await provider.list_classes()
        fake.break_endpoint(SCHEDULE_ITEMS, status=500, page=3)
        with pytest.raises(IncompleteAnswer, match="page 3"):
            await provider.class_lessons("7-А", MONDAY, FRIDAY)
        fake.heal()
        assert len(await provider.class_lessons("7-А", MONDAY, FRIDAY)) == 20
    finally:
        await provider.close()


async def test_a_record_with_a_bad_field_is_skipped_and_logged_once(
    school: MeshProvider, fake: MeshFakeServer, caplog: pytest.LogCaptureFixture
) -> None:
    marks = [render.teacher_mark(fake.school, m) for m in fake.school.marks.values() if m.group_id // 10 == 101]
    broken = [dict(marks[0], id=None), dict(marks[1], date="вчера"), *marks[2:]]
    fake.break_endpoint(MARKS, status=200, json_body=broken)
    with caplog.at_level(logging.WARNING, logger="bot.ediary.mesh"):
        grades = await school.class_grades("7-А", MONDAY, FRIDAY)
        again = await school.class_grades("7-А", MONDAY, FRIDAY)
    assert [g.id for g in grades] == [str(m["id"]) for m in marks[2:]] == [g.id for g in again]
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 2
    assert any("marks" in w and "id" in w and "missing" in w for w in warnings)
    assert any("marks" in w and "date" in w for w in warnings)


async def test_no_more_requests_in_flight_than_the_bound(fake: MeshFakeServer, clock: ManualClock) -> None:
    provider = await open_on(fake, clock, max_concurrency=2)
    try:
        await provider.list_classes()  # the directory, one request at a time
        fake.max_in_flight = 0
        fake.hold_until(2)  # each request waits until another is in flight with it
        reads = [provider.class_lessons("7-А", date(2026, 11, 23 + d % 3), FRIDAY) for d in range(6)]
        results = await asyncio.wait_for(asyncio.gather(*reads), timeout=60)  # last-resort guard
        assert all(results)
        assert fake.max_in_flight == 2
        assert len(fake.requests_to(SCHEDULE_ITEMS)) == 6
    finally:
        await provider.close()
