"""Translation checks: `python -m bot.i18n_tools` lists messages in the code that a locale lacks.

The test suite runs the same check, so a message without a translation fails CI.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po, write_po

from bot.i18n import LOCALES_DIR, SUPPORTED_LOCALES, read_catalogs

ROOT = Path(__file__).resolve().parent.parent
SOURCE_DIRS = ("bot", "handlers", "storage")
# aiogram's gettext(singular, plural=None, n=1, locale=None): three or more arguments make a plural.
_GETTEXT_SPEC: dict[int | None, tuple[int | tuple[int, int] | tuple[int, str], ...] | None] = {
    1: (1,),
    2: (1,),
    3: (1, 2),
    4: (1, 2),
}
KEYWORDS: dict[
    str, dict[int | None, tuple[int | tuple[int, int] | tuple[int, str], ...] | None] | tuple[int, ...] | None
] = {
    "_": _GETTEXT_SPEC,
    "__": _GETTEXT_SPEC,
    "gettext": _GETTEXT_SPEC,
    "lazy_gettext": _GETTEXT_SPEC,
    "N_": None,
    "ngettext": (1, 2),
}


@dataclass(frozen=True)
class SourceMessage:
    msgid: str
    plural: str | None
    where: str


def extract_messages() -> list[SourceMessage]:
    found: dict[str, SourceMessage] = {}
    for folder in SOURCE_DIRS:
        for filename, lineno, message, _comments, _context in extract_from_dir(
            ROOT / folder, method_map=[("**.py", "python")], keywords=KEYWORDS
        ):
            if isinstance(message, tuple):
                msgid, plural = message[0], message[1] if len(message) > 1 else None
            else:
                msgid, plural = message, None
            if msgid:
                found.setdefault(msgid, SourceMessage(msgid, plural, f"{folder}/{filename}:{lineno}"))
    return sorted(found.values(), key=lambda m: m.where)


def missing_translations(locale: str) -> list[SourceMessage]:
    catalog = read_catalogs(LOCALES_DIR / locale, locale)
    missing = []
    for message in extract_messages():
        entry = catalog.get(message.msgid)
        if entry is None or entry.fuzzy:
            missing.append(message)
            continue
        strings = entry.string if isinstance(entry.string, tuple) else (entry.string,)
        if (message.plural and not isinstance(entry.string, tuple)) or not all(strings):
            missing.append(message)
    return missing


def stub(feature: str) -> int:
    """Append every untranslated message to `<locale>/LC_MESSAGES/<feature>.po`.

    English msgids are the source text, so English gets them as its translation; Russian entries are
    left empty (and plural ones with three forms) for a person to fill in.
    """
    added = 0
    for locale in SUPPORTED_LOCALES:
        path = LOCALES_DIR / locale / "LC_MESSAGES" / f"{feature}.po"
        if path.exists():
            with path.open("rb") as fp:
                catalog = read_po(fp, locale=locale)
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            catalog = Catalog(locale=locale, project="ediary-bot", charset="utf-8")
        for message in missing_translations(locale):
            if message.msgid in catalog:
                continue
            msgid = (message.msgid, message.plural) if message.plural else message.msgid
            string: str | tuple[str, ...]
            if locale == "en":
                string = (message.msgid, message.plural) if message.plural else message.msgid
            else:
                string = ("",) * catalog.num_plurals if message.plural else ""
            where, line = message.where.rsplit(":", 1)
            catalog.add(msgid, string, locations=[(where, int(line))])
            added += 1
        with path.open("wb") as fp:
            write_po(fp, catalog, width=0, omit_header=False, sort_output=False)
    print(f"added {added} entr(ies) to {feature}.po")
    return 0


def main() -> int:
    if len(sys.argv) == 3 and sys.argv[1] == "stub":
        return stub(sys.argv[2])
    bad = 0
    for locale in SUPPORTED_LOCALES:
        for message in missing_translations(locale):
            bad += 1
            kind = " (plural)" if message.plural else ""
            print(f"{locale}: {message.where}: {message.msgid!r}{kind}")
    print("all messages translated" if not bad else f"{bad} missing translation(s)")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
