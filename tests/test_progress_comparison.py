"""No class comparison where the school switched it off (CLASS_COMPARISON=false: not in the texts, not in the
charts) or where the e-diary gives only a family's own marks (said once, plainly)."""

import pytest

from bot.gradebook import chart_data
from bot.progress import service
from bot.ui import Translator
from tests.conftest import App
from tests.grades_fixtures import buttons

pytest_plugins = ["tests.progress_fixtures"]

SETUPS = [
    pytest.param(({"class_comparison": False}, False), id="switched-off"),
    pytest.param(({}, True), id="family-token"),
]


@pytest.fixture(params=SETUPS)
def setup(request: pytest.FixtureRequest) -> tuple[dict[str, object], bool]:
    return request.param


@pytest.fixture
def school_settings(setup: tuple[dict[str, object], bool]) -> dict[str, object]:
    return setup[0]


@pytest.fixture
def per_student(setup: tuple[dict[str, object], bool]) -> bool:
    return setup[1]


async def test_no_class_average_or_place_anywhere(school_app: App, per_student: bool) -> None:
    await school_app.link(41, "s01", "student")
    user = school_app.client(41)
    await user.send("/progress")
    screen = user.last_message()
    assert "Математика: " in screen.text  # the child's own progress is all there
    assert "класс " not in screen.text and "класса" not in screen.text
    notice = "Сравнения с классом нет: этот электронный дневник даёт только оценки вашей семьи."
    assert (notice in screen.text) is per_student  # a school's own choice is not announced

    await user.click(screen, "📊 График")
    photo = user.last_message()
    assert "класса" not in photo.caption
    await user.click(photo, "Математика")
    assert "класса" not in user.last_message().caption

    ctx = school_app.ctx
    student = await ctx.ediary.get_student("s01")
    assert student is not None
    with ctx.i18n.context():
        view = await service.load(ctx, student, "")
    t, guides = Translator(ctx.i18n, "ru"), (4.5, 3.5, 2.5)
    bars = chart_data.bars(view, t, guides)
    assert bars is not None and set(bars.class_averages) == {None}
    assert all(chart_data.marks(view, s, t, guides).class_running == [] for s in view.subjects)
    assert view.class_grades == ()  # nobody else's marks were even kept
    assert buttons(screen)[0] == "📊 График"
