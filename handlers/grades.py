"""Feature router: grades (being built)."""

from aiogram import Router

router = Router(name="grades")
