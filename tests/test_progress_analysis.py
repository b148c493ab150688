"""The progress math: the school's rounding, the trend, what it takes to reach the next mark, and the class
comparison, each checked against arithmetic done here by hand."""

from datetime import date, timedelta
from decimal import Decimal

import pytest

from bot.config import SettingsError
from bot.ediary.model import Grade, parse_grade_value
from bot.gradebook.analysis import (
    MAX_MARKS_AHEAD,
    Quarter,
    Rounding,
    Trend,
    analyse,
    standing,
    steps_to_next,
    trend,
    usual_weight,
)
from tests.conftest import make_settings

DEFAULT = Rounding((Decimal("4.5"), Decimal("3.5"), Decimal("2.5")))
DAY = date(2026, 11, 2)


def marks(*values: str | tuple[str, float], subject: str = "Математика", student: str = "s01") -> list[Grade]:
    """Marks a day apart, oldest first; ("5", 2) is a 5 of weight 2."""
    grades = []
    for n, item in enumerate(values):
        value, weight = item if isinstance(item, tuple) else (item, 1.0)
        grades.append(
            Grade(f"{student}-{subject}-{n}", student, subject, value, parse_grade_value(value), weight, None,
                  DAY + timedelta(days=n))
        )  # fmt: skip
    return grades


@pytest.mark.parametrize(
    ("average", "mark"),
    [(4.5, 5), (4.495, 5), (4.494, 4), (3.5, 4), (3.49, 3), (2.5, 3), (2.49, 2), (5.0, 5), (1.0, 2)],
)
def test_the_default_rounding_uses_the_average_as_shown(average: float, mark: int) -> None:
    # 4.495 is shown as 4,50 and leads to a 5: the text never says "4,50 → 4"
    assert DEFAULT.mark(average) == mark


def test_a_school_sets_its_own_thresholds(tmp_path) -> None:
    strict = Rounding(make_settings(tmp_path, grade_rounding="4.6, 3.6, 2.6").grade_rounding)
    assert (strict.mark(4.55), strict.mark(4.6), strict.mark(3.55), strict.mark(2.6)) == (4, 5, 3, 3)


@pytest.mark.parametrize("bad", ["4.5,3.5", "5.5,3.5,2.5", "4.5,4.5,2.5", "x,3.5,2.5", "nan,3.5,2.5"])
def test_bad_thresholds_are_refused_with_the_setting_named(tmp_path, bad: str) -> None:
    with pytest.raises(SettingsError, match="GRADE_ROUNDING is invalid"):
        make_settings(tmp_path, grade_rounding=bad)


def test_the_trend_compares_the_later_half_of_the_marks_with_the_earlier() -> None:
    assert trend(marks("3", "3", "5", "5")) == (Trend.UP, Decimal("2.00"))
    assert trend(marks("5", "4", "4", "3", "3")) == (Trend.DOWN, Decimal("-1.50"))  # the middle 4 in neither half
    assert trend(marks("4", "5", "5", "4")) == (Trend.STEADY, Decimal("0.00"))
    assert trend(marks("5", "н", "зч", "3", "4")) is None  # three counted marks are too few to tell


def test_the_trend_weighs_marks_as_the_average_does() -> None:
    # earlier: (3 + 5·2) / 3 = 4.33; later: (4 + 4) / 2 = 4.00
    assert trend(marks("3", ("5", 2), "4", "4")) == (Trend.DOWN, Decimal("-0.33"))


def test_the_usual_weight_is_the_most_common_one() -> None:
    assert usual_weight(marks(("5", 2), ("4", 2), "3")) == 2
    assert usual_weight(marks(("5", 2), "3")) == 1  # a tie: the everyday (lighter) work
    assert usual_weight(marks("н")) == 1


def test_what_it_takes_counts_fives_and_fours_exactly() -> None:
    # 3 + 4 = 7 over 2 marks (3.50, a 4). For a 5: (7 + 5n) / (2 + n) >= 4.5 -> n >= 4
    steps = steps_to_next(marks("3", "4"), DEFAULT, 1, DAY)
    assert steps is not None and (steps.target, steps.fives, steps.fours) == (5, 4, None)  # 4s never make a 5
    # 3 + 3 = 6 over 2 (a 3). For a 4: (6 + 5n) / (2 + n) >= 3.5 -> n >= 1; (6 + 4n) / (2 + n) >= 3.5 -> n >= 2
    steps = steps_to_next(marks("3", "3"), DEFAULT, 1, DAY)
    assert steps is not None and (steps.target, steps.fives, steps.fours) == (4, 1, 2)


def test_what_it_takes_adds_marks_of_the_usual_weight() -> None:
    # (2·2 + 4·2) / 4 = 3.00; fives of weight 2: (12 + 10n) / (4 + 2n) >= 3.5 -> n >= 1 (3.83)
    grades = marks(("2", 2), ("4", 2))
    steps = steps_to_next(grades, DEFAULT, usual_weight(grades), DAY)
    assert steps is not None and (steps.target, steps.fives) == (4, 1)


def test_a_mark_out_of_reach_within_the_sane_number_says_so() -> None:
    # forty 4s: (160 + 5n) / (40 + n) >= 4.5 needs n >= 40, far more than MAX_MARKS_AHEAD
    steps = steps_to_next(marks(*["4"] * 40), DEFAULT, 1, DAY)
    assert MAX_MARKS_AHEAD < 40
    assert steps is not None and (steps.target, steps.fives, steps.fours) == (5, None, None)
    # twenty 2s: (40 + 5n) / (20 + n) >= 2.5 -> n >= 4
    steps = steps_to_next(marks(*["2"] * 20), DEFAULT, 1, DAY)
    assert steps is not None and (steps.target, steps.fives, steps.fours) == (3, 4, 7)  # (40 + 4n)/(20 + n): n >= 6.67


def test_nothing_to_take_at_the_top_or_without_marks() -> None:
    assert steps_to_next(marks("5", "5"), DEFAULT, 1, DAY) is None
    assert steps_to_next(marks("зч", "н"), DEFAULT, 1, DAY) is None


def test_the_childs_quarter_of_the_class() -> None:
    classmates = [3.0, 3.5, 4.0, 4.2, 4.5, 5.0]
    top = standing(5.0, classmates)
    assert top is not None and top.quarter is Quarter.TOP
    assert top.average == pytest.approx(sum(classmates) / 6)  # each child counts once
    # the class's quartiles (inclusive): 3.625, 4.1, 4.425
    quarters = {child: getattr(standing(child, classmates), "quarter", None) for child in (4.2, 3.8, 3.6, 3.0)}
    assert quarters == {4.2: Quarter.UPPER_HALF, 3.8: Quarter.LOWER_HALF, 3.6: Quarter.BOTTOM, 3.0: Quarter.BOTTOM}


def test_too_few_classmates_with_marks_means_no_comparison() -> None:
    assert standing(4.0, [4.0, 3.0, 5.0, 4.5]) is None  # four averages would tell too much about the others
    assert standing(4.0, [4.0, 3.0, 5.0, 4.5, 3.5]) is not None


def test_analyse_leaves_attendance_out_and_compares_with_the_class() -> None:
    mine = marks("5", "н", "4", "4", "5")
    others = [g for n in range(2, 7) for g in marks("3", "4", str(n % 3 + 3), student=f"s0{n}")]
    progress = analyse("Математика", [*mine, *marks("2", subject="Физика")], DEFAULT, DAY, [*mine, *others])
    assert [g.value for g in progress.marks] == ["5", "4", "4", "5"]  # «н» is attendance, not a mark
    assert progress.average == 4.5 and progress.mark == 5 and progress.steps is None
    assert progress.standing is not None and progress.standing.quarter is Quarter.TOP
    alone = analyse("Математика", mine, DEFAULT, DAY, None)
    assert alone.standing is None
