"""Every message in the code has a translation in both locales; Russian plurals are real plurals."""

from decimal import Decimal

from bot.i18n import create_i18n, format_number, pick_locale
from bot.i18n_tools import extract_messages, missing_translations


def test_every_message_is_translated_in_russian_and_english() -> None:
    assert extract_messages(), "the extractor found no messages at all"
    for locale in ("ru", "en"):
        missing = missing_translations(locale)
        assert not missing, f"{locale} lacks: " + "; ".join(f"{m.where} {m.msgid!r}" for m in missing[:20])


def test_russian_plural_forms() -> None:
    i18n = create_i18n()
    plural = [m for m in extract_messages() if m.plural]
    assert plural, "no plural messages found"
    sample = plural[0]
    forms = {n: i18n.gettext(sample.msgid, sample.plural, n=n, locale="ru") for n in (1, 2, 5, 21, 22, 25, 11)}
    assert forms[1] == forms[21] and forms[2] == forms[22] and forms[5] == forms[25] == forms[11]
    assert len({forms[1], forms[2], forms[5]}) == 3, forms


def test_locale_choice() -> None:
    assert pick_locale(None, None) == "ru"
    assert pick_locale(None, "en-US") == "en"
    assert pick_locale(None, "uk") == "ru"
    assert pick_locale("en", "ru") == "en"  # a saved choice wins over Telegram's
    assert pick_locale("ru", "en") == "ru"


def test_translations_load_from_po_without_compiling() -> None:
    i18n = create_i18n()
    assert set(i18n.available_locales) >= {"ru", "en"}
    assert i18n.gettext("📚 Grades", locale="ru") == "📚 Оценки"
    assert i18n.gettext("📚 Grades", locale="en") == "📚 Grades"


def test_numbers_equal_in_value_keep_their_own_spelling() -> None:
    """format_number is cached; a change of -0.00 must not be shown as the +0,00 formatted before it."""
    assert format_number(Decimal("0.00"), "+0.00;-0.00", "ru") == "+0,00"
    assert format_number(Decimal("-0.00"), "+0.00;-0.00", "ru") == "-0,00"
    assert format_number(-0.0, "+0.00;-0.00", "ru") == "-0,00"
    assert format_number(4, "0.##", "en") == format_number(4.0, "0.##", "en") == "4"
    assert format_number(4.125, "0.00", "ru") == "4,12"  # the float's own value, as Babel reads it
