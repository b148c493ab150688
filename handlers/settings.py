"""Feature router: settings (being built)."""

from aiogram import Router

router = Router(name="settings")
