"""Charts: drawn in the render worker (not on the event loop), Cyrillic in matplotlib's bundled DejaVu Sans with
no glyph missing, and the size the bot sends (read back from the PNG header)."""

import threading
import warnings
from datetime import date

from bot.gradebook.chart import BarsChart, Legend, MarksChart, font_file, render
from bot.gradebook.render import off_loop
from tests.png import png_size

LEGEND = Legend(child="Средний балл", class_average="Средний балл класса", axis="Оценка")


async def test_charts_are_drawn_off_the_event_loop() -> None:
    worker = await off_loop(lambda: threading.current_thread())
    assert worker is not threading.main_thread() and worker.name.startswith("render")


def test_the_font_is_the_one_matplotlib_brings() -> None:
    import matplotlib

    assert font_file().is_file() and font_file(bold=True).is_file()
    assert str(font_file()).startswith(matplotlib.get_data_path())  # no system font assumed


def test_cyrillic_renders_with_no_glyph_missing_and_the_size_is_as_planned() -> None:
    chart = MarksChart(
        title="Софья Иванова, 9В — Физическая культура, 2 четверть",
        start=date(2026, 11, 5),
        end=date(2026, 11, 25),
        ticks=[(date(2026, 11, 5), "5 нояб."), (date(2026, 11, 25), "25 нояб.")],
        marks=[(date(2026, 11, 6), 4.0, 1.0), (date(2026, 11, 20), 5.0, 2.0)],
        running=[(date(2026, 11, 6), 4.0), (date(2026, 11, 20), 4.67)],
        class_running=[(date(2026, 11, 6), 3.9)],
        thresholds=(4.5, 3.5, 2.5),
        legend=LEGEND,
        marks_label="Оценки (крупнее — весомее)",
    )
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        png = render(chart)
    assert not [w for w in caught if "missing from" in str(w.message)], [str(w.message) for w in caught]
    assert png_size(png) == (800, 450)
    bars = BarsChart("Ёжик, 5А — Весь год", ["Щ"], [4.0], ["4,00"], [None], (4.5, 3.5, 2.5), LEGEND)
    assert png_size(render(bars)) == (800, round(100 * (2.0 + 0.42)))
