"""Builds the weekly timetable template once, deterministically, with no teacher in two places at once."""

from __future__ import annotations

import itertools
import random
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Slot:
    """One lesson of the weekly template (weekday 0 = Monday)."""

    class_id: str
    weekday: int
    number: int
    subject_id: str
    teacher_id: str
    room: str


def build_template(
    classes: Sequence[tuple[str, dict[str, int], tuple[int, ...]]],
    teaching: dict[tuple[str, str], str],
    rooms: dict[str, str],
    seed: str = "demo|timetable",
) -> list[Slot]:
    """`classes`: (class id, weekly hours per subject, lessons per weekday). Retries until a plan fits."""
    rng = random.Random(seed)
    for _ in range(500):
        slots = _attempt(rng, classes, teaching, rooms)
        if slots is not None:
            return slots
    raise RuntimeError("could not build the demo timetable")  # only if the static data is changed badly


def _attempt(rng, classes, teaching, rooms) -> list[Slot] | None:
    busy: set[tuple[int, int, str]] = set()  # (weekday, number, teacher id)
    slots: list[Slot] = []
    for class_id, hours, day_counts in classes:
        remaining = dict(hours)
        for weekday, count in enumerate(day_counts):
            days_left = len(day_counts) - weekday
            chosen = _pick_day_subjects(rng, remaining, days_left, count)
            if chosen is None:
                return None
            order = _order_without_clashes(rng, chosen, weekday, class_id, teaching, busy)
            if order is None:
                return None
            for number, subject_id in enumerate(order, start=1):
                teacher_id = teaching[(class_id, subject_id)]
                busy.add((weekday, number, teacher_id))
                remaining[subject_id] -= 1
                slots.append(Slot(class_id, weekday, number, subject_id, teacher_id, rooms[teacher_id]))
    return slots


def _pick_day_subjects(rng, remaining: dict[str, int], days_left: int, count: int) -> list[str] | None:
    """`count` distinct subjects; a subject with as many hours left as days left must come today."""
    forced = [s for s, n in remaining.items() if n >= days_left]
    if len(forced) > count or any(remaining[s] > days_left for s in forced):
        return None
    pool = [s for s, n in remaining.items() if 0 < n < days_left]
    chosen = list(forced)
    while len(chosen) < count:
        if not pool:
            return None
        pick = rng.choices(pool, weights=[remaining[s] for s in pool])[0]
        pool.remove(pick)
        chosen.append(pick)
    return chosen


def _order_without_clashes(rng, chosen, weekday, class_id, teaching, busy) -> list[str] | None:
    shuffled = list(chosen)
    rng.shuffle(shuffled)
    for order in itertools.islice(itertools.permutations(shuffled), 2000):
        if all((weekday, n, teaching[(class_id, s)]) not in busy for n, s in enumerate(order, start=1)):
            return list(order)
    return None
