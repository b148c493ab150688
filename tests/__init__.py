import pytest

# Shared story helpers assert too: rewrite them like test modules, for readable failures.
pytest.register_assert_rewrite(
    "tests.harness",
    "tests.e2e",
    "tests.alerts_story",
    "tests.messaging_story",
    "tests.grades_fixtures",
    "tests.linking_support",
    "tests.timetable_fakes",
    "tests.demo_school",
)
