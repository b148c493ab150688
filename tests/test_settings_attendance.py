"""/settings: absence and lateness alerts have a toggle of their own, on by default for parents and off for
students; the toggle is saved and edits the same message."""

from storage import preferences as prefs_repo
from tests.alerts_story import follow
from tests.conftest import App
from tests.messaging_story import buttons


async def test_a_parent_has_attendance_alerts_on_and_can_switch_them_off(app: App) -> None:
    parent = await follow(app, 701, "p01", "parent")
    await parent.send("/settings")
    screen = parent.last_message()
    assert "✅ Пропуски и опоздания — как только учитель их отметит" in screen.text
    assert "✅ Посещаемость" in buttons(screen)
    await parent.click(screen, "✅ Посещаемость")
    assert parent.last_message().message_id == screen.message_id
    assert "▫️ Пропуски и опоздания" in parent.last_message().text
    assert (await prefs_repo.get_preferences(app.db, 701)).alert_attendance is False
    await parent.click(parent.last_message(), "▫️ Посещаемость")
    assert (await prefs_repo.get_preferences(app.db, 701)).alert_attendance is True


async def test_a_student_has_them_off_until_they_opt_in_in_english(app: App) -> None:
    student = await follow(app, 702, "s01", "student", language="en")
    await student.send("/settings")
    screen = student.last_message()
    assert "▫️ Absences and lateness, as the teacher marks them" in screen.text
    await student.click(screen, "▫️ Attendance")
    prefs = await prefs_repo.get_preferences(app.db, 702)
    assert prefs.alert_attendance is True and prefs.attendance_alerts(is_student=True)
    assert "✅ Attendance" in buttons(student.last_message())
