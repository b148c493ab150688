"""Feature router: invite (being built)."""

from aiogram import Router

router = Router(name="invite")
