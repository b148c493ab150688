"""Feature router: messaging (being built)."""

from aiogram import Router

router = Router(name="messaging")
