"""Who the token is: its profiles (the ACL `profile_info`), the one the bot acts as, and so the mode —
school (a staff profile reads the teacher API class by class) or per-student (a parent's or pupil's profile
reads only its own children). Also the current academic year, which the teacher API wants in every call."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from bot.ediary.mesh.client import Api, EndpointMissing, MeshClient
from bot.ediary.mesh.fields import BadRecord, FieldProblems, as_list, day, ident, mapped, maybe, maybe_ident, text
from bot.ediary.provider import ProviderAuthError, ProviderError, ProviderUnavailable

log = logging.getLogger(__name__)

# the current platform's path first, the older generation's second [reference §3.4: C / S]
PROFILE_INFO_PATHS = ("/api/ej/acl/v1/mod-acl/users/profile_info", "/acl/api/users/profile_info")
# profile types after normalise_type ("TeacherProfile", "teacher", "school_admin" ...) [G for the staff names]
STAFF_TYPES = frozenset({"teacher", "schooladmin", "admin", "administrator", "principal", "staff", "educator"})
FAMILY_TYPES = frozenset({"parent", "student"})
ACADEMIC_YEARS_PATH = "/api/ej/core/teacher/v1/academic_years"  # family twin /api/ej/core/family/v1/... [S]
# academic_year_id seen in teacher scripts: 12 = 2024-2025, 13 = 2025-2026, 14 = 2026-2027 [G: the fallback]
ACADEMIC_YEAR_ID_OFFSET = 2012


class Mode(StrEnum):
    SCHOOL = "school"
    PER_STUDENT = "per-student"


@dataclass(frozen=True, slots=True)
class Profile:
    id: str
    type: str  # as the platform writes it
    kind: str  # normalised: "teacher", "parent", "student", "schooladmin" ...
    school_id: str | None
    roles: tuple[str, ...]

    @property
    def mode(self) -> Mode | None:
        if self.kind in STAFF_TYPES:
            return Mode.SCHOOL
        if self.kind in FAMILY_TYPES:
            return Mode.PER_STUDENT
        return None


@dataclass(frozen=True, slots=True)
class Session:
    profiles: tuple[Profile, ...]  # every profile of the token
    profile: Profile  # the one the bot acts as
    mode: Mode


def normalise_type(raw: str) -> str:
    return re.sub(r"[^a-z]", "", raw.lower()).removesuffix("profile")


def _profile(record: dict) -> Profile:
    raw_type = text(record, "type")
    roles = maybe(record, "roles", list) or []
    return Profile(
        id=ident(record, "id"),
        type=raw_type,
        kind=normalise_type(raw_type),
        school_id=maybe_ident(record, "school_id"),
        roles=tuple(str(r) for r in roles if isinstance(r, (str, int)) and not isinstance(r, bool)),
    )


async def fetch_profiles(client: MeshClient, problems: FieldProblems) -> tuple[Profile, ...]:
    answer: object = None
    for path in PROFILE_INFO_PATHS:
        try:
            answer = await client.get(path, api=Api.ACL, name="profile_info")
        except EndpointMissing:
            continue
        except ProviderAuthError as exc:
            if exc.missing_scope is None:
                raise  # the token itself was refused
            raise ProviderAuthError(
                f"МЭШ: {client.host} answers 403 to the token's own profiles: the host may have moved (Moscow Oblast "
                "is https://authedu.mosreg.ru; api.myschool.mosreg.ru answers 403 since 2025) or it blocks this "
                "address; check MESH_API_URL",
                missing_scope=exc.missing_scope,
            ) from exc
        break
    else:
        raise ProviderUnavailable(f"МЭШ: {client.host} has no profile endpoint: check MESH_API_URL")
    profiles = tuple(mapped(as_list(answer, "profile_info"), "profile_info", problems, _profile))
    if not profiles:
        raise ProviderAuthError("МЭШ: the token has no profiles the bot can read")
    return profiles


def choose(profiles: tuple[Profile, ...], configured_id: str | None) -> Session:
    """MESH_PROFILE_ID when set; else the first staff profile, else the first family profile."""
    listing = ", ".join(f"{p.id} ({p.type})" for p in profiles)
    if configured_id:
        profile = next((p for p in profiles if p.id == configured_id.strip()), None)
        if profile is None:
            raise ProviderAuthError(f"МЭШ: MESH_PROFILE_ID {configured_id} is not a profile of this token ({listing})")
    else:
        profile = next((p for p in profiles if p.mode is Mode.SCHOOL), None) or next(
            (p for p in profiles if p.mode is Mode.PER_STUDENT), profiles[0]
        )
    if profile.mode is None:
        raise ProviderAuthError(
            f"МЭШ: profile {profile.id} is of type {profile.type!r}, which is neither staff nor family; "
            f"choose another with MESH_PROFILE_ID ({listing})"
        )
    return Session(profiles, profile, profile.mode)


async def open_session(client: MeshClient, configured_id: str | None, problems: FieldProblems) -> Session:
    session = choose(await fetch_profiles(client, problems), configured_id)
    client.profile_id = session.profile.id
    client.event_role = "student" if session.profile.kind == "student" else "parent"
    return session


@dataclass(frozen=True, slots=True)
class AcademicYear:
    id: str
    start: date
    end: date
    from_api: bool  # False: the date-based fallback


def fallback_year(today: date) -> AcademicYear:
    first = today.year if today.month >= 9 else today.year - 1
    return AcademicYear(str(first - ACADEMIC_YEAR_ID_OFFSET), date(first, 9, 1), date(first + 1, 8, 31), False)


def _year(record: dict) -> AcademicYear:
    return AcademicYear(ident(record, "id"), day(record, "begin_date"), day(record, "end_date"), True)


async def current_year(client: MeshClient, today: date, problems: FieldProblems) -> AcademicYear:
    """`current_year` from the academic-years list, else the year holding today, else by the date."""
    try:
        answer = as_list(await client.get(ACADEMIC_YEARS_PATH, api=Api.TEACHER, name="academic_years"), "years")
    except ProviderAuthError as exc:
        if exc.missing_scope is None:
            raise
        answer, why = [], "forbidden"
    except ProviderError as exc:
        answer, why = [], str(exc)
    else:
        why = "no current year in the list"

    def current(record: dict) -> tuple[bool, AcademicYear]:
        flag = record.get("current_year")
        if flag is not None and not isinstance(flag, bool):
            raise BadRecord("current_year", f"a {type(flag).__name__}")
        return bool(flag), _year(record)

    years = mapped(answer, "academic_years", problems, current)
    chosen = next((y for is_current, y in years if is_current), None) or next(
        (y for _, y in years if y.start <= today <= y.end), None
    )
    if chosen is not None:
        return chosen
    guess = fallback_year(today)
    log.warning("МЭШ academic year taken from the date (id %s): %s", guess.id, why)
    return guess
