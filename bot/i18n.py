"""gettext through aiogram's I18n, loading the `.po` files directly so a fresh checkout needs no compile step.

Each feature keeps its own catalog (`locales/<lang>/LC_MESSAGES/<feature>.po`); all catalogs of a
language are merged into one translation at startup.
"""

from __future__ import annotations

import gettext
import io
import sys
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import date
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any

from aiogram.types import TelegramObject
from aiogram.types import User as TgUser
from aiogram.utils.i18n import I18n, I18nMiddleware
from babel.dates import format_date, format_skeleton
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal


def N_(message: str) -> str:
    """Marks a message for extraction where it is translated later (module-level tables)."""
    return message


LOCALES_DIR = Path(__file__).resolve().parent.parent / "locales"
DEFAULT_LOCALE = "ru"
SUPPORTED_LOCALES = ("ru", "en")


def read_catalogs(locale_dir: Path, locale: str) -> Catalog:
    """All `.po` files of one language merged into a single catalog."""
    merged = Catalog(locale=locale)
    for po_path in sorted((locale_dir / "LC_MESSAGES").glob("*.po")):
        with po_path.open("rb") as fp:
            catalog = read_po(fp, locale=locale)
        for message in catalog:
            if message.id:
                merged[message.id] = message
    return merged


class PoI18n(I18n):
    """aiogram's I18n, fed from `.po` sources instead of compiled `.mo` files."""

    @contextmanager
    def context(self) -> Iterator[I18n]:
        # ContextInstanceMixin gives each subclass its own context variable; `_()` reads I18n's.
        token = I18n.set_current(self)
        try:
            yield self
        finally:
            I18n.reset_current(token)

    def find_locales(self) -> dict[str, gettext.GNUTranslations]:
        translations: dict[str, gettext.GNUTranslations] = {}
        for locale_dir in sorted(self.path.iterdir()):
            if not (locale_dir / "LC_MESSAGES").is_dir():
                continue
            buffer = io.BytesIO()
            write_mo(buffer, read_catalogs(locale_dir, locale_dir.name), use_fuzzy=False)
            buffer.seek(0)
            translations[locale_dir.name] = gettext.GNUTranslations(buffer)
        return translations


def create_i18n(path: Path = LOCALES_DIR) -> PoI18n:
    return PoI18n(path=path, default_locale=DEFAULT_LOCALE, domain="messages")


def pick_locale(saved: str | None, telegram_code: str | None) -> str:
    """The user's saved choice, else their Telegram language, else Russian."""
    for candidate in (saved, telegram_code):
        if candidate:
            base = candidate.split("-")[0].split("_")[0].lower()
            if base in SUPPORTED_LOCALES:
                return sys.intern(base)  # one string per language, not one per account the poller keeps
    return DEFAULT_LOCALE


class UserLocaleMiddleware(I18nMiddleware):
    """Locale from the `user_record` the user middleware loaded (saved choice) or Telegram's code."""

    async def get_locale(self, event: TelegramObject, data: dict[str, Any]) -> str:
        record = data.get("user_record")
        tg_user: TgUser | None = data.get("event_from_user")
        return pick_locale(
            record.language if record is not None else None,
            tg_user.language_code if tg_user is not None else None,
        )


def all_translations(i18n: I18n, msgid: str) -> Iterable[str]:
    """The text of one message in every supported language (to match reply-keyboard buttons)."""
    return {i18n.gettext(msgid, locale=locale) for locale in SUPPORTED_LOCALES}


# Babel parses the locale and the pattern at every call; screens show the same few dates and numbers over and
# over (a mark's date on every line of /grades), so each is formatted once.
@lru_cache(maxsize=4096)
def format_day(day: date, pattern: str, locale: str) -> str:
    """babel.dates.format_date with a pattern ("EEE, d MMMM")."""
    return format_date(day, pattern, locale=locale)


@lru_cache(maxsize=4096)
def format_day_skeleton(day: date, skeleton: str, locale: str) -> str:
    """babel.dates.format_skeleton: the locale's own form of a skeleton ("MMMd": «25 нояб.», "Nov 25")."""
    return format_skeleton(skeleton, day, locale=locale)


def format_number(value: float | Decimal, pattern: str, locale: str) -> str:
    """babel.numbers.format_decimal with a pattern ("0.00")."""
    # keyed by the spelling, which Babel reads a number by (Decimal(str(n))): equal numbers may be written
    # apart, -0.00 and 0.00 as "-0,00" and "+0,00"
    return _format_number(str(value), pattern, locale)


@lru_cache(maxsize=4096)
def _format_number(spelled: str, pattern: str, locale: str) -> str:
    return format_decimal(Decimal(spelled), format=pattern, locale=locale)
