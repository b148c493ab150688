"""What kind of period a school's period is, and which one, read from the name the e-diary gives it: the model's
Period carries only a name ("2 четверть", "II триместр", "1-е полугодие", "Quarter 2"), so views that speak
the user's language recognise it here. A name that is not recognised is shown as the e-diary gives it."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum


class PeriodKind(StrEnum):
    QUARTER = "quarter"
    TRIMESTER = "trimester"
    HALF_YEAR = "half_year"


@dataclass(frozen=True, slots=True)
class PeriodName:
    kind: PeriodKind
    number: int  # 1-based, within the school year


# Word stems (lower case, ё as е) naming each kind, in Russian and as English-speaking APIs spell types.
_KIND_STEMS = (
    ("четв", PeriodKind.QUARTER),
    ("quarter", PeriodKind.QUARTER),
    ("тримест", PeriodKind.TRIMESTER),
    ("trimester", PeriodKind.TRIMESTER),
    ("полугод", PeriodKind.HALF_YEAR),
    ("семестр", PeriodKind.HALF_YEAR),
    ("semester", PeriodKind.HALF_YEAR),
    ("halfyear", PeriodKind.HALF_YEAR),
)
_MOST = {PeriodKind.QUARTER: 4, PeriodKind.TRIMESTER: 3, PeriodKind.HALF_YEAR: 2}
_NUMBER_WORDS = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "first": 1, "second": 2, "third": 3, "fourth": 4}
_RUSSIAN_ORDINAL = re.compile(r"^(перв|втор|трет|четверт)(ая|ое|ый|ья|ье|ий)$")  # «первое», «четвёртая»
_RUSSIAN_ORDINALS = {"перв": 1, "втор": 2, "трет": 3, "четверт": 4}
# What may stand beside the number: ordinal endings ("1-я", "2-е", "1st") and nothing else.
_ENDINGS = frozenset({"я", "е", "й", "ая", "ое", "ий", "st", "nd", "rd", "th"})


def read_period_name(name: str) -> PeriodName | None:
    """The kind and number a period's name states, or None when the name says something else."""
    text = re.sub(r"half[\s_-]*year", "halfyear", name.lower().replace("ё", "е"))
    tokens = re.findall(r"\d+|[a-zа-я]+", text)
    kinds: list[PeriodKind] = []
    numbers: list[int] = []
    for token in tokens:
        ordinal = _RUSSIAN_ORDINAL.match(token)
        if token.isdigit():
            numbers.append(int(token))
        elif ordinal is not None:
            numbers.append(_RUSSIAN_ORDINALS[ordinal.group(1)])
        elif token in _NUMBER_WORDS:
            numbers.append(_NUMBER_WORDS[token])
        elif (kind := _kind_of(token)) is not None:
            kinds.append(kind)
        elif token not in _ENDINGS:
            return None
    if len(kinds) != 1 or len(numbers) != 1 or not 1 <= numbers[0] <= _MOST[kinds[0]]:
        return None
    return PeriodName(kinds[0], numbers[0])


def _kind_of(token: str) -> PeriodKind | None:
    return next((kind for stem, kind in _KIND_STEMS if token.startswith(stem)), None)
