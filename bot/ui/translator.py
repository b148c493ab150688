"""gettext bound to one locale, for texts made outside an update (scheduler jobs, the outbox, other users'
messages) where aiogram's `_()` would use the wrong user's language or none."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from babel.dates import format_date

from bot.i18n import PoI18n


@dataclass(frozen=True, slots=True)
class Translator:
    i18n: PoI18n
    locale: str

    def gettext(self, msgid: str) -> str:
        return self.i18n.gettext(msgid, locale=self.locale)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return self.i18n.gettext(singular, plural, n=n, locale=self.locale)

    def day(self, value: date | str) -> str:
        """'ср, 25 ноября' / 'Wed, 25 November'."""
        day = date.fromisoformat(value) if isinstance(value, str) else value
        return format_date(day, "EEE, d MMMM", locale=self.locale)

    @classmethod
    def current(cls, i18n: PoI18n) -> Translator:
        """The language of the update being handled."""
        return cls(i18n, i18n.current_locale)
