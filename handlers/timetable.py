"""Feature router: timetable (being built)."""

from aiogram import Router

router = Router(name="timetable")
