"""Change detection on its own: stable keys and fingerprints decide new, corrected and removed records."""

import hashlib
import json
from datetime import date

from bot.alerts.detect import MISSING_LIMIT, ChangeKind, Observed, diff
from bot.ediary.model import Grade, content_fingerprint
from storage.seen import SeenRecord

WINDOW = (date(2026, 11, 11), date(2026, 11, 25))


def grade(gid: str, value: str, day: date = date(2026, 11, 24), comment: str | None = None) -> Observed:
    g = Grade(gid, "s01", "Математика", value, None, 1.0, "Ответ на уроке", day, comment)
    return Observed(g.id, g.fingerprint(), {"value": value, "date": day.isoformat()}, g.student_id)


def in_window(record: SeenRecord) -> bool:
    return WINDOW[0] <= date.fromisoformat(record.payload["date"]) <= WINDOW[1]


def apply(state: dict[str, SeenRecord], observed: list[Observed]):
    """One successful poll: returns its changes and updates `state` as storage would."""
    result = diff(state.values(), observed, in_window=in_window)
    for record in result.upserts:
        state[record.key] = record
    for key in result.deletes:
        del state[key]
    return result.changes


def test_a_new_key_is_a_new_grade_and_an_unchanged_one_is_silent() -> None:
    state: dict[str, SeenRecord] = {}
    changes = apply(state, [grade("g1", "5")])
    assert [(c.kind, c.key) for c in changes] == [(ChangeKind.NEW, "g1")]
    assert apply(state, [grade("g1", "5")]) == []


def test_a_changed_fingerprint_is_a_correction_with_the_value_before() -> None:
    state: dict[str, SeenRecord] = {}
    apply(state, [grade("g1", "3")])
    [change] = apply(state, [grade("g1", "4")])
    assert change.kind == ChangeKind.CORRECTED
    assert (change.old_payload["value"], change.payload["value"]) == ("3", "4")


def test_a_grade_corrected_twice_gives_two_corrections_with_growing_revisions() -> None:
    state: dict[str, SeenRecord] = {}
    apply(state, [grade("g1", "3")])
    first = apply(state, [grade("g1", "4")])
    second = apply(state, [grade("g1", "5")])
    back = apply(state, [grade("g1", "4")])
    assert [(c.old_payload["value"], c.payload["value"]) for c in first + second + back] == [
        ("3", "4"),
        ("4", "5"),
        ("5", "4"),
    ]
    assert [c.revision for c in first + second + back] == [1, 2, 3]  # never the same alert twice


def test_a_comment_change_is_a_correction_too() -> None:
    state: dict[str, SeenRecord] = {}
    apply(state, [grade("g1", "5")])
    [change] = apply(state, [grade("g1", "5", comment="Молодец!")])
    assert change.kind == ChangeKind.CORRECTED


def test_a_missing_grade_is_removed_only_after_three_consecutive_polls_without_it() -> None:
    assert MISSING_LIMIT == 3
    state: dict[str, SeenRecord] = {}
    apply(state, [grade("g1", "5"), grade("g2", "4")])
    assert apply(state, [grade("g2", "4")]) == []
    assert apply(state, [grade("g2", "4")]) == []
    assert state["g1"].missing_count == 2
    [change] = apply(state, [grade("g2", "4")])
    assert (change.kind, change.key, change.payload["value"]) == (ChangeKind.REMOVED, "g1", "5")
    assert "g1" not in state


def test_a_grade_back_before_the_third_poll_is_no_news_and_its_count_starts_over() -> None:
    state: dict[str, SeenRecord] = {}
    apply(state, [grade("g1", "5")])
    apply(state, [])
    apply(state, [])
    assert apply(state, [grade("g1", "5")]) == []
    assert state["g1"].missing_count == 0
    apply(state, [])
    apply(state, [])
    assert state["g1"].missing_count == 2  # two misses again, not yet removed


def test_a_grade_that_ages_out_of_the_window_is_forgotten_silently() -> None:
    state = {"old": SeenRecord("old", "fp", {"date": "2026-11-01"})}  # seen when it was inside the window
    assert [c.kind for c in apply(state, [grade("g1", "4")])] == [ChangeKind.NEW]  # and not "old removed"
    assert set(state) == {"g1"}


def test_a_record_listed_twice_counts_once() -> None:
    state: dict[str, SeenRecord] = {}
    changes = apply(state, [grade("g1", "5"), grade("g1", "5")])
    assert len(changes) == 1


def test_fingerprints_are_what_the_database_already_holds_and_equal_numbers_of_other_types_differ() -> None:
    """Fingerprints are stored: a faster or cached way to make them must give the same 16 characters, and the
    cache (equal content is hashed once) must not take 1 for 1.0 or True for 1, which JSON writes differently."""
    args = ("Математика", "5", 1.0, "Ответ на уроке", "2026-11-25", None)
    assert content_fingerprint(*args) == "627182931086b6ee"
    assert content_fingerprint(*args) == "627182931086b6ee"  # served by the cache
    assert content_fingerprint("Математика", "5", 1, "Ответ на уроке", "2026-11-25", None) == "d13b8b168ee22e93"
    assert content_fingerprint("x", True) == "efed344b4c1a6ff9"
    assert content_fingerprint("x", 1) == "38e37cb98808b9cc"
    assert content_fingerprint("h", ("a.pdf",)) == "e42e0897d1670ebc"
    for zero in (0.0, -0.0, 0, False, 0.0, -0.0):  # equal keys to a cache, each written its own way
        assert content_fingerprint("w", zero) == hashlib.sha256(json.dumps(["w", zero]).encode()).hexdigest()[:16]
