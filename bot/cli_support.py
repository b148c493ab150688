"""TRANSITION (issue 10): the provider packages' commands still import this; it moves to bot/cli/support.py."""

from bot.cli.support import UsageError, command_clock, fail, load

__all__ = ["UsageError", "command_clock", "fail", "load"]
