"""bot.ui.memo.per_language: a screen part is made once per language and arguments, never served in another
language."""

from __future__ import annotations

from aiogram.utils.i18n import gettext as _

from bot.i18n import create_i18n
from bot.ui.memo import per_language
from bot.ui.menu import main_menu


def test_each_language_gets_its_own_copy_made_once() -> None:
    made: list[tuple[str, int]] = []

    @per_language(maxsize=8)
    def greeting(n: int, *, loud: bool = False) -> str:
        made.append((_("Settings"), n))
        text = f"{_('Settings')} {n}"
        return text.upper() if loud else text

    i18n = create_i18n()
    with i18n.context():
        with i18n.use_locale("ru"):
            assert greeting(1) == "Настройки 1"
            assert greeting(1) == "Настройки 1"
            assert greeting(1, loud=True) == "НАСТРОЙКИ 1"
        with i18n.use_locale("en"):
            assert greeting(1) == "Settings 1"
    assert made == [("Настройки", 1), ("Настройки", 1), ("Settings", 1)]


def test_the_main_menu_follows_the_language_and_the_roles() -> None:
    i18n = create_i18n()
    with i18n.context():
        with i18n.use_locale("ru"):
            family, teacher = main_menu({"parent"}), main_menu({"teacher"})
            assert main_menu(["parent"]) is family
        with i18n.use_locale("en"):
            english = main_menu({"parent"})
    assert family.keyboard[0][0].text == "📊 Оценки за сегодня"
    assert english.keyboard[0][0].text == "📊 Today's marks"
    assert teacher.keyboard[0][0].text != family.keyboard[0][0].text
