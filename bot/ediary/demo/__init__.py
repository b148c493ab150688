"""The embedded demo e-diary: a sample Russian school in its own SQLite file.

- `DemoProvider.open(path, clock)` creates the school on first use (deterministic seed) and generates
  grades through the clock's today; a later open (or a query after midnight) tops up the days since.
- Ids: students s01-s24 (5А s01-s08, 7Б s09-s16, 9В s17-s24), parents p01.., teachers t01-t11; classes
  "5А", "7Б", "9В" (internal ids 5a, 7b, 9v). Grades "g<YYYYMMDD>-<student>-<n>" (generated) or "gm<n>"
  (CLI); homework "h<YYYYMMDD>-<class id>-<subject id>" or "hm<n>"; lessons "l<YYYYMMDD>-<class id>-<n>".
- Calendar: quarters 1 Sep-26 Oct, 5 Nov-28 Dec, 12 Jan-22 Mar, 1 Apr-26 May; June-August belong to
  the school year that just ended.
- teacher_lessons includes lessons the teacher covers as a substitute and their own cancelled lessons,
  and leaves out lessons handed to a substitute.
"""

from bot.ediary.demo.commands import DemoCommandError
from bot.ediary.demo.provider import DemoProvider

__all__ = ["DemoCommandError", "DemoProvider"]
