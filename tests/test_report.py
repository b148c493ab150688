"""/report and `ediary-bot report`: a PDF whose Cyrillic text is real text (read back with pypdf) holding the
marks by subject, averages, period marks, attendance totals where the e-diary gives attendance, and the chart."""

import io
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from bot.cli import main
from bot.ediary.model import AttendanceKind
from bot.gradebook.analysis import Rounding
from bot.report.content import gather
from bot.ui import Translator
from tests.conftest import App
from tests.grades_fixtures import buttons, press_forged

pytest_plugins = ["tests.progress_fixtures"]

Q2 = (date(2026, 11, 5), date(2026, 11, 25))
STALE_CHILD = "Эта кнопка устарела: ученик не привязан к вашему аккаунту. Откройте /report заново."


def pdf_text(data: bytes) -> str:
    assert data.startswith(b"%PDF-")
    reader = PdfReader(io.BytesIO(data))
    assert any(page.images for page in reader.pages)  # the chart
    return "\n".join(page.extract_text() for page in reader.pages)


def flat(text: str) -> str:
    """Words as pypdf reads them, whatever the line breaks and the spacing of justified cells."""
    return " ".join(text.split())


async def test_a_parent_of_two_gets_a_childs_report_as_a_pdf(school_app: App, school) -> None:
    await school_app.link(51, "p01", "parent")
    user = school_app.client(51)
    await user.send("/report")
    chooser = user.last_message()
    assert chooser.text == "📄 Чей отчёт подготовить?"
    await user.click(chooser, "Артём Иванов, 5А")
    periods = user.last_message()
    assert periods.message_id == chooser.message_id
    assert periods.text.startswith("📄 Отчёт в PDF для Артём Иванов, 5А: оценки по предметам")
    assert buttons(periods) == ["1 четверть", "2 четверть", "Весь год", "⬅️ Назад"]

    await user.click(periods, "1 четверть")
    sent = user.last_message()
    assert sent.document is not None and sent.document.file_name == "report-s01-2026-q1.pdf"
    assert sent.caption == "📄 Отчёт: Артём Иванов, 5А, 1 четверть, 1 сент. – 26 окт."
    text = flat(pdf_text(school_app.session.core.files[sent.document.file_id]))
    assert "Отчёт об успеваемости" in text and "Артём Иванов, 5А" in text and "МБОУ «СОШ № 17» (демо)" in text
    finals = {m.subject: m.value for m in await school.final_marks("s01") if m.period_id == "2026-q1"}
    assert finals["Математика"] == "4"
    assert "Оценка за период" in text and "Средний балл" in text
    absences = await school.student_attendance("s01", date(2026, 9, 1), date(2026, 10, 26))
    missed = sum(1 for a in absences if a.kind is AttendanceKind.ABSENT)
    assert "Посещаемость" in text
    assert f"Пропущен{'' if missed == 1 else 'о'} {missed} урок" in text
    assert user.answers[-1]["text"] is None  # the button stops spinning quietly

    await user.click(periods, "⬅️ Назад")
    assert user.last_message().text == "📄 Чей отчёт подготовить?"


async def test_english_and_the_current_period(school_app: App) -> None:
    await school_app.link(52, "s17", "student", language="en")
    user = school_app.client(52, language_code="en")
    await user.send("/report")
    periods = user.last_message()
    assert buttons(periods) == ["Quarter 1", "Quarter 2", "Whole year"]  # one child: straight to the periods
    await user.click(periods, "Quarter 2")
    text = flat(pdf_text(school_app.session.core.files[user.last_message().document.file_id]))
    assert "Progress report" in text and "Софья Иванова, 9В" in text and "Quarter 2, Nov 5 – Dec 28" in text
    assert "Attendance" in text and "Subject" in text and "Period mark" in text


async def test_a_forged_child_gets_no_report(school_app: App) -> None:
    await school_app.link(53, "s01", "student")
    user = school_app.client(53)
    await user.send("/report")
    screen = user.last_message()
    for data in ("rm:s17:y", "rc:s02", "rm:s99:"):
        await press_forged(user, screen, data)
        assert user.last_answer() == STALE_CHILD
    assert school_app.session.sent("sendDocument") == [] and len(user.messages) == 1


class WithoutAttendance:
    """The demo school as an e-diary that gives no attendance (capabilities say so)."""

    def __init__(self, provider: Any) -> None:
        self.provider = provider

    @property
    def capabilities(self):
        return replace(self.provider.capabilities, attendance=False)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.provider, name)


async def test_an_e_diary_without_attendance_says_so_and_no_comparison_means_no_class_column(
    school_app: App, school
) -> None:
    student = await school.get_student("s01")
    rounding = Rounding(school_app.ctx.settings.grade_rounding)
    t = Translator(school_app.ctx.i18n, "ru")
    content = await gather(WithoutAttendance(school), student, "", Q2[1], rounding, t, compare=False)
    assert content.attendance == ["Посещаемость недоступна: этот электронный дневник её не даёт."]
    assert content.columns == ["Предмет", "Оценки", "Средний балл", "Динамика", "Оценка за период"]
    assert content.chart is not None and set(content.chart.class_averages) == {None}
    compared = await gather(school, student, "", Q2[1], rounding, t, compare=True)
    assert compared.columns[-1] == "Класс" and compared.attendance[0].startswith("Пропущен")


def test_the_staff_command_writes_the_same_report(tmp_path: Path, school_config, school, clock, capsys) -> None:
    out = tmp_path / "r.pdf"
    args = ["report", "--student", "s01", "--period", "2026-q2", "--out", str(out)]
    assert main(args, clock=clock, settings=school_config) == 0
    assert capsys.readouterr().out.strip() == f"wrote {out} ({out.stat().st_size} bytes): student s01, period 2026-q2"
    text = flat(pdf_text(out.read_bytes()))
    assert "Отчёт об успеваемости" in text and "2 четверть, 5 нояб. – 28 дек." in text
    assert out.stat().st_mode & 0o077 == 0  # a child's marks: readable by the staff account only


@pytest.mark.parametrize(
    ("argv", "error"),
    [
        (["--student", "s99", "--period", "1"], "ediary-bot: error: unknown student 's99'"),
        (["--student", "s01", "--period", "9"], "ediary-bot: error: unknown period '9' (periods: 1 = 2026-q1, 2 = "),
        (["--student", "s01", "--period", "spring"], "ediary-bot: error: unknown period 'spring'"),
    ],
)
def test_the_staff_command_names_a_bad_argument_in_one_line(
    tmp_path: Path, school_config, school, clock, capsys, argv: list[str], error: str
) -> None:
    out = tmp_path / "r.pdf"
    assert main(["report", *argv, "--out", str(out)], clock=clock, settings=school_config) == 2
    err = capsys.readouterr().err
    assert err.startswith(error) and err.count("\n") == 1
    assert not out.exists() and list(tmp_path.glob(".r.pdf*")) == []


def test_the_staff_command_refuses_a_missing_folder(tmp_path: Path, school_config, clock, capsys) -> None:
    out = tmp_path / "nowhere" / "r.pdf"
    code = main(
        ["report", "--student", "s01", "--period", "year", "--out", str(out)], clock=clock, settings=school_config
    )
    assert code == 2 and capsys.readouterr().err.startswith(f"ediary-bot: error: cannot write {out}: no such folder")
