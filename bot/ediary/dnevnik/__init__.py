"""Дневник.ру (api.dnevnik.ru, partner API v2) behind the EdiaryProvider protocol.

- Token: a static DNEVNIK_TOKEN, or the partner OAuth2 code grant (`ediary-bot dnevnik authorize`, tokens in
  `<data dir>/dnevnik-token.json`, renewed by the bot). Scopes used: CommonInfo (context), FriendsAndRelatives
  (parents), EducationalInfo (everything else). `ediary-bot dnevnik check` shows what the token may read.
- Ids are the API's `_str` twins (int64 ids pass 2^53); dates are school-local without offset.
- Capabilities: class-level reads; final marks; no substitutions (v2 has no such flag, none are guessed);
  no messaging (send_message raises NotSupported).
- Requests per class per poll: `class_schedule(class, start, end)` costs 2 requests,
  `edu-groups/{g}/lessons/{start-14d}/{end}` (lessons; the works on them give the homework due in the window
  and the subjects of marks) and `edu-groups/{g}/marks/{start}/{end}`. Reference data comes from the cache:
  the class list, its subjects and bell times (`timetables`) and the school's work types (weights) cost
  one request each per 6 h (the class list per 1 h); a mark whose lesson lies outside the lessons fetched
  costs one `lessons/{l}` request once. The three separate reads class_grades + class_lessons +
  class_homework cost 2 + 1 + 1 = 4.
- People are read lazily and kept for an hour: classes (1 request), a roster per class, teachers of the
  school (1) and of each class (1 per class), parents per pupil (`users/{userId}/relatives`, 1 per pupil).
- Per student: `student_schedule` is one `persons/{p}/groups/{g}/schedules` request; `student_grades` pages
  `persons/{p}/group/{g}/recentmarks` (100 marks a page); `final_marks` reads the class's
  `edu-groups/{g}/final-marks` (kept 5 minutes for the whole class).
- At most DNEVNIK_MAX_CONCURRENCY requests in flight; rate limits pause every request together.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.clock import Clock
    from bot.config import Settings
    from bot.ediary.dnevnik.client import RetryPolicy
    from bot.ediary.dnevnik.provider import DnevnikProvider


async def open_dnevnik(
    settings: Settings, clock: Clock, *, login_url: str | None = None, policy: RetryPolicy | None = None
) -> DnevnikProvider:
    """The provider for the configured school; SettingsError when the token or the school is not clear."""
    from bot.ediary.dnevnik.provider import open_provider

    return await open_provider(settings, clock, login_url=login_url, policy=policy)


__all__ = ["open_dnevnik"]
