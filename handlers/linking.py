"""Feature router: linking (being built)."""

from aiogram import Router

router = Router(name="linking")
