"""What linking says about the person a code is for: worded by their role and, in Russian, by their sex as
the e-diary records it, neutral when it does not (issue 11, item 8)."""

from __future__ import annotations

import dataclasses

from tests.conftest import App
from tests.linking_support import one_code


async def confirmation(app: App, user_id: int, person_id: str, language_code: str = "ru") -> str:
    invitation = await one_code(app, person_id)
    user = app.client(user_id, language_code=language_code)
    await user.send(f"/start {invitation.code}")
    return user.last_message().text


async def linked(app: App, user_id: int, person_id: str, language_code: str = "ru") -> str:
    await confirmation(app, user_id, person_id, language_code)
    user = app.client(user_id, language_code=language_code)
    await user.click(user.last_message(), "✅ Да, привязать" if language_code == "ru" else "✅ Yes, link")
    return user.messages[-2].text


async def test_a_girl_is_an_ученица_and_a_boy_an_ученик(app: App) -> None:
    girl = await confirmation(app, 540, "s02")  # Петрова Анна Сергеевна
    assert "Петрова Анна Сергеевна — ученица, класс 5А" in girl
    assert "Привязать к ней этот аккаунт Telegram?" in girl and "к нему" not in girl
    assert "будут видны оценки и расписание." in girl
    boy = await confirmation(app, 541, "s01")  # Иванов Артём Алексеевич
    assert "Иванов Артём Алексеевич — ученик, класс 5А" in boy
    assert "Привязать к нему этот аккаунт Telegram?" in boy and "к ней" not in boy


async def test_a_teacher_is_not_promised_marks(app: App) -> None:
    asked = await confirmation(app, 542, "t01")  # Белова Елена Викторовна
    assert "Привязать к ней" in asked and "ваши уроки" in asked
    assert "оценки" not in asked
    done = await linked(app, 543, "t02")  # Кузнецов Андрей Николаевич
    assert "оценки" not in done and "/today" in done and "сообщения от родителей" in done


async def test_a_parent_hears_of_one_child_or_of_children(app: App) -> None:
    two = await confirmation(app, 544, "p01")  # Иванов Алексей Викторович: s01 and s17
    assert "Дети:" in two and "расписание детей" in two and "Привязать к нему" in two
    one = await confirmation(app, 545, "p05")  # Сидоров Дмитрий Павлович: one son
    assert "Ребёнок:" in one and "расписание ребёнка" in one and "детей" not in one
    done = await linked(app, 546, "p02")  # Иванова Мария Сергеевна
    assert "Новые оценки детей" in done


async def test_english_never_says_their_marks_to_a_student_linking_herself(app: App) -> None:
    asked = await confirmation(app, 547, "s02", language_code="en")
    assert "Link this Telegram account to her?" in asked
    assert "their" not in asked and "them" not in asked
    assert "student, class 5А" in asked


async def test_without_the_sex_in_the_e_diary_the_wording_is_neutral(app: App) -> None:
    directory = app.ctx.provider.directory
    directory.people["s03"] = dataclasses.replace(directory.people["s03"], sex=None)
    asked = await confirmation(app, 548, "s03")
    assert "ученик/ученица, класс 5А" in asked
    assert "Привязать этот аккаунт Telegram к этому человеку?" in asked
    assert "к нему" not in asked and "к ней" not in asked
