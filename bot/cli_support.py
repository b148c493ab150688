"""What every staff command shares: one error line on stderr, and the clock it runs on."""

from __future__ import annotations

import argparse
import sys

from bot.clock import Clock, SystemClock
from bot.config import Settings

PROG = "ediary-bot"


def command_clock(args: argparse.Namespace, settings: Settings) -> Clock:
    """Tests hand a ManualClock in as `args.clock`; staff get the school's real time."""
    return getattr(args, "clock", None) or SystemClock(settings.timezone)


def fail(message: str, code: int = 2, prog: str = PROG) -> int:
    print(f"{prog}: error: {message}", file=sys.stderr)
    return code
