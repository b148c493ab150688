"""`ediary-bot mesh check` through its `register` entry point, with settings from the environment."""

from __future__ import annotations

import argparse
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from bot.cli.mesh import register
from bot.clock import ManualClock
from tests.fakes.mesh_server import MARKS, TEACHER_PROFILES, MeshFakeServer, serving_in_thread

Run = Callable[..., tuple[int, str, str]]


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(datetime(2026, 11, 25, 10, 0), "Europe/Moscow")


@pytest.fixture
def fake(clock: ManualClock) -> Iterator[MeshFakeServer]:
    with serving_in_thread(MeshFakeServer(now=clock.now)) as server:
        yield server


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fake: MeshFakeServer) -> pytest.MonkeyPatch:
    monkeypatch.chdir(tmp_path)  # no stray .env
    for name in ("MESH_REFRESH_TOKEN", "MESH_PROFILE_ID", "MESH_MAX_CONCURRENCY", "BOT_TOKEN", "TIMEZONE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("EDIARY_PROVIDER", "mesh")
    monkeypatch.setenv("MESH_API_URL", fake.url)
    monkeypatch.setenv("MESH_TOKEN", fake.staff_token)
    monkeypatch.setenv("DATABASE_PATH", str(tmp_path / "bot.sqlite3"))
    return monkeypatch


@pytest.fixture
def run(env: pytest.MonkeyPatch, clock: ManualClock, capsys: pytest.CaptureFixture[str]) -> Run:
    def invoke(*argv: str) -> tuple[int, str, str]:
        parser = argparse.ArgumentParser(prog="ediary-bot")
        register(parser.add_subparsers(dest="command", required=True, metavar="COMMAND"))
        args = parser.parse_args(list(argv))
        args.clock = clock
        capsys.readouterr()
        code = args.func(args)
        out, err = capsys.readouterr()
        return code, out, err

    return invoke


def rows(out: str) -> dict[str, tuple[str, str]]:
    """The endpoint table: name -> (needed, status)."""
    lines = out.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("ENDPOINT"))
    table = {}
    for line in lines[start + 1 :]:
        name, needed, status = _split(line)
        table[name] = (needed, status)
    return table


def _split(line: str) -> tuple[str, str, str]:
    name, rest = line.split("  ", 1)
    needed, status = rest.strip().split(None, 1)
    return name.strip(), needed, status


def test_a_staff_token_is_school_mode_and_everything_answers(run: Run, fake: MeshFakeServer) -> None:
    code, out, err = run("mesh", "check")
    assert (code, err) == (0, "")
    assert f"host:     {fake.url}" in out
    assert "profile:  5001 (teacher)" in out and "roles:    teacher" in out
    assert "mode:     school" in out
    assert "token:    expires 2026-11-26 07:00 UTC (in 1 d 0 h; setting); cannot be refreshed" in out
    table = rows(out)
    assert {name: status for name, (_, status) in table.items()} == dict.fromkeys(
        [
            "academic_years",
            "groups (classes, subjects)",
            "student_profiles",
            "teacher_profiles",
            "schedule_items",
            "marks",
            "homeworks",
            "attestation_periods_schedules",
        ],
        "OK",
    )
    assert table["marks"][0] == "yes" and table["teacher_profiles"][0] == "no"
    assert fake.staff_token not in out


def test_a_family_token_is_per_student_mode(run: Run, env: pytest.MonkeyPatch, fake: MeshFakeServer) -> None:
    env.setenv("MESH_TOKEN", fake.family_token)
    code, out, _ = run("mesh", "check")
    assert code == 0
    assert "profile:  7001 (parent)" in out and "mode:     per-student" in out
    table = rows(out)
    assert table["events (lessons, homework, marks)"] == ("yes", "OK")
    assert all(status == "OK" for _, status in table.values())


def test_a_refresh_token_is_shown_as_renewable(run: Run, env: pytest.MonkeyPatch, fake: MeshFakeServer) -> None:
    env.setenv("MESH_REFRESH_TOKEN", fake.staff_refresh_token)
    code, out, _ = run("mesh", "check")
    assert code == 0 and "can be refreshed" in out and "cannot" not in out


def test_a_needed_endpoint_that_is_forbidden_fails_the_check(run: Run, fake: MeshFakeServer) -> None:
    fake.break_endpoint(MARKS, status=403)
    code, out, _ = run("mesh", "check")
    assert code == 1
    assert rows(out)["marks"] == ("yes", "forbidden")


def test_an_optional_endpoint_that_fails_is_shown_but_passes(run: Run, fake: MeshFakeServer) -> None:
    fake.break_endpoint(TEACHER_PROFILES, status=403)
    code, out, _ = run("mesh", "check")
    assert code == 0
    assert rows(out)["teacher_profiles"] == ("no", "forbidden")


def test_a_host_answering_403_is_reported(run: Run, fake: MeshFakeServer) -> None:
    fake.forbid_all = True
    code, out, _ = run("mesh", "check")
    assert code == 1
    assert "profile:  unknown" in out
    assert "problem:" in out and "403" in out and "MESH_API_URL" in out


def test_an_expired_token_is_reported(run: Run, env: pytest.MonkeyPatch, fake: MeshFakeServer) -> None:
    env.setenv("MESH_TOKEN", fake.issue_token(expires_in=timedelta(hours=-1)))
    code, out, _ = run("mesh", "check")
    assert code == 1
    assert "(expired; setting)" in out and "MESH_TOKEN" in out
    assert out.count("problem:  МЭШ token expired at") == 1, out  # said once, as the admins' notice says it


def test_without_a_token_the_settings_error_is_one_line(run: Run, env: pytest.MonkeyPatch) -> None:
    env.delenv("MESH_TOKEN")
    code, out, err = run("mesh", "check")
    assert (code, out) == (2, "")
    assert err.startswith("ediary-bot: error: MESH_TOKEN is not set") and err.count("\n") == 1


def test_mesh_alone_asks_for_a_command(run: Run) -> None:
    code, _, err = run("mesh")
    assert code == 2 and err.startswith("ediary-bot: error: mesh: choose a command")
