"""The grades and marks view model on its own: averages, periods, pages, callback data size and wording."""

from collections.abc import Iterator
from datetime import date

import pytest

from bot.ediary.grading import average, current_period, newest_first, split_attendance
from bot.ediary.model import Grade, Period, parse_grade_value
from bot.ediary.names import initials
from bot.ediary.periods import PeriodKind, PeriodName, read_period_name
from bot.gradebook.periods import CURRENT, WHOLE_YEAR, period_key, select, short_key
from bot.grades import wording
from bot.grades.callbacks import MAX_STUDENT_ID_BYTES, GradesHomeCb, GradesListCb, GradesSubjectCb
from bot.grades.paging import PAGE_SIZE, paginate
from bot.grades.stats import summarize
from bot.i18n import create_i18n
from bot.marks.callbacks import MarksRetryCb
from bot.marks.service import lookback_start

QUARTERS = [
    Period("2026-q1", "1 четверть", date(2026, 9, 1), date(2026, 10, 26)),
    Period("2026-q2", "2 четверть", date(2026, 11, 5), date(2026, 12, 28)),
    Period("2026-q3", "3 четверть", date(2027, 1, 12), date(2027, 3, 22)),
    Period("2026-q4", "4 четверть", date(2027, 4, 1), date(2027, 5, 26)),
]


def mark(
    value: str, weight: float = 1.0, day: date = date(2026, 11, 20), subject: str = "Математика", gid: str = "g1"
) -> Grade:
    return Grade(gid, "s01", subject, value, parse_grade_value(value), weight, "Ответ на уроке", day)


@pytest.fixture
def in_language() -> Iterator:
    i18n = create_i18n()

    def use(locale: str):
        return i18n.use_locale(locale)

    with i18n.context():
        yield use


# --- averages -----------------------------------------------------------------------------
def test_average_is_weighted_by_work_type() -> None:
    result = average([mark("5"), mark("3", weight=2)])  # (5 + 3*2) / 3
    assert result is not None
    assert result.value == pytest.approx(11 / 3)
    assert result.weighted


def test_plain_average_when_every_weight_is_one() -> None:
    result = average([mark("5"), mark("4-"), mark("3+")])
    assert result is not None and result.value == pytest.approx(4.0) and not result.weighted


def test_non_numeric_marks_are_not_averaged() -> None:
    result = average([mark("5"), mark("н"), mark("зч", weight=2), mark("4")])
    assert result is not None and result.value == pytest.approx(4.5) and not result.weighted
    assert average([mark("н"), mark("зч")]) is None
    assert average([]) is None


def test_summaries_follow_the_class_subject_order_and_list_newest_first() -> None:
    grades = [
        mark("5", subject="История", gid="a"),
        mark("4", subject="Математика", day=date(2026, 11, 10), gid="b"),
        mark("3", subject="Математика", day=date(2026, 11, 12), gid="c"),
        mark("зч", subject="Астрономия", gid="d"),
        mark("н", subject="Русский язык", gid="e"),  # an absence: attendance, not a mark
        mark("нб", subject="Математика", gid="f"),
    ]
    summaries = summarize(grades, ["Математика", "Русский язык", "История"])
    assert [s.name for s in summaries] == ["Математика", "История", "Астрономия"]  # unknown subjects last
    assert [g.value for g in summaries[0].grades] == ["3", "4"]
    assert summaries[0].count == 2 and summaries[2].average is None
    assert [g.id for g in newest_first(grades)] == ["f", "e", "d", "a", "c", "b"]  # by date, then id


def test_attendance_is_kept_apart_from_marks_and_never_averaged() -> None:
    grades = [mark("5", gid="a"), mark("Н", gid="b"), mark("б", gid="c"), mark("зч", gid="d")]
    marks, attendance = split_attendance(grades)
    assert [g.id for g in marks] == ["a", "d"] and [g.id for g in attendance] == ["b", "c"]
    assert average([mark("н"), mark("зч")]) is None


# --- periods ------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("name", "kind", "number"),
    [
        ("2 четверть", PeriodKind.QUARTER, 2),
        ("II четверть", PeriodKind.QUARTER, 2),
        ("1-я четверть", PeriodKind.QUARTER, 1),
        ("Четвёртая четверть", PeriodKind.QUARTER, 4),
        ("III триместр", PeriodKind.TRIMESTER, 3),
        ("1-е полугодие", PeriodKind.HALF_YEAR, 1),
        ("Второе полугодие", PeriodKind.HALF_YEAR, 2),
        ("Quarter 2", PeriodKind.QUARTER, 2),  # Дневник.ру's type and number when a period has no name
        ("HalfYear 1", PeriodKind.HALF_YEAR, 1),
        ("Semester 2", PeriodKind.HALF_YEAR, 2),
    ],
)
def test_a_periods_kind_and_number_are_read_from_its_name(name: str, kind: PeriodKind, number: int) -> None:
    assert read_period_name(name) == PeriodName(kind, number)


@pytest.mark.parametrize("name", ["Зимняя сессия", "четверть", "5 четверть", "3 полугодие", "1 четверть 2026/27"])
def test_a_name_that_says_something_else_is_not_guessed(name: str) -> None:
    assert read_period_name(name) is None


def test_current_period_in_term_in_holidays_and_before_the_year() -> None:
    assert current_period(QUARTERS, date(2026, 11, 25)).id == "2026-q2"
    assert current_period(QUARTERS, date(2026, 11, 2)).id == "2026-q1"  # autumn holidays: the one just ended
    assert current_period(QUARTERS, date(2026, 8, 20)).id == "2026-q1"  # before the year: the first one
    assert current_period([], date(2026, 11, 25)) is None


def test_select_resolves_keys_and_spots_periods_that_no_longer_exist() -> None:
    today = date(2026, 11, 25)
    assert select(QUARTERS, CURRENT, today).period.id == "2026-q2"
    first = select(QUARTERS, period_key(QUARTERS[0]), today)
    assert (first.start, first.end, first.final_marks_id) == (date(2026, 9, 1), date(2026, 10, 26), "2026-q1")
    year = select(QUARTERS, WHOLE_YEAR, today)
    assert (year.start, year.end, year.period) == (date(2026, 9, 1), date(2027, 5, 26), None)
    assert year.final_marks_id == "year"
    last_years = Period("2025-q2", "2 четверть", date(2025, 11, 5), date(2025, 12, 28))
    assert select(QUARTERS, period_key(last_years), today) is None
    assert select(QUARTERS, "garbage", today) is None


def test_a_provider_without_periods_still_has_a_school_year() -> None:
    year = select([], CURRENT, date(2027, 2, 3))
    assert (year.key, year.start, year.end) == (WHOLE_YEAR, date(2026, 9, 1), date(2027, 2, 3))


def test_marks_look_back_stays_inside_the_current_period_and_is_bounded() -> None:
    assert lookback_start(QUARTERS, date(2026, 11, 25), 14) == date(2026, 11, 11)
    assert lookback_start(QUARTERS, date(2026, 11, 9), 14) == date(2026, 11, 5)  # not into the last quarter
    assert lookback_start(QUARTERS, date(2026, 11, 2), 14) == date(2026, 10, 19)  # holidays: the ended quarter


# --- pages --------------------------------------------------------------------------------
def test_pages_split_a_long_list_and_clamp_stale_page_numbers() -> None:
    items = list(range(PAGE_SIZE * 2 + 3))
    first, last = paginate(items, 0), paginate(items, 2)
    assert (first.items, first.count, first.has_previous, first.has_next) == (tuple(range(10)), 3, False, True)
    assert (last.items, last.has_previous, last.has_next) == ((20, 21, 22), True, False)
    assert paginate(items, 99).number == 2 and paginate(items, -5).number == 0
    empty = paginate([], 3)
    assert (empty.items, empty.number, empty.count) == ((), 0, 1)


# --- callback data ------------------------------------------------------------------------
def test_the_longest_callback_data_fits_telegrams_64_bytes() -> None:
    student = "9" * MAX_STUDENT_ID_BYTES
    key = short_key("Основы безопасности жизнедеятельности и защиты Родины")
    longest = [
        GradesSubjectCb(student=student, period=key, subject=key, page=9999).pack(),
        GradesListCb(student=student, period=key).pack(),
        GradesHomeCb().pack(),
        MarksRetryCb().pack(),
    ]
    assert all(len(data.encode()) <= 64 for data in longest), [len(d.encode()) for d in longest]
    assert all(data.startswith("g") for data in longest)
    assert len(key) == 8 and key == short_key("Основы безопасности жизнедеятельности и защиты Родины")


# --- wording ------------------------------------------------------------------------------
def test_russian_plurals_are_real_plurals(in_language) -> None:
    with in_language("ru"):
        assert [wording.marks_count(n) for n in (1, 3, 5, 11, 21, 22)] == [
            "1 оценка",
            "3 оценки",
            "5 оценок",
            "11 оценок",
            "21 оценка",
            "22 оценки",
        ]
    with in_language("en"):
        assert [wording.marks_count(n) for n in (1, 3)] == ["1 mark", "3 marks"]


def test_averages_round_half_up_in_the_users_number_format(in_language) -> None:
    with in_language("ru"):
        assert wording.format_average(4.125) == "4,13"
        assert wording.format_average(4.0) == "4,00"
        assert wording.format_weight(1.5) == "1,5"
    with in_language("en"):
        assert wording.format_average(11 / 3) == "3.67"


def test_teachers_are_shown_with_initials() -> None:
    assert initials("Белова Елена Викторовна") == "Белова Е. В."
    assert initials("Smith") == "Smith"
