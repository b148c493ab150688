"""What every staff command shares: the program name, one usage error, one error line, the clock and the
settings it runs with."""

from __future__ import annotations

import argparse
import sys

from bot.clock import Clock, SystemClock
from bot.config import Settings, load_settings

PROG = "ediary-bot"


class UsageError(Exception):
    """A bad argument: one line for the admin, exit code 2, and nothing is written."""


def load(args: argparse.Namespace) -> Settings:
    """Tests hand settings in as `args.settings`; staff get them from the environment and `.env`."""
    settings = getattr(args, "settings", None)
    return settings if settings is not None else load_settings()


def command_clock(args: argparse.Namespace, settings: Settings) -> Clock:
    """Tests hand a ManualClock in as `args.clock`; staff get the school's real time."""
    return getattr(args, "clock", None) or SystemClock(settings.timezone)


def fail(message: str, code: int = 2, prog: str = PROG) -> int:
    print(f"{prog}: error: {message}", file=sys.stderr)
    return code
