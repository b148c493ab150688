"""What an account last chose on a screen that offers several things to look at (whose timetable), per screen.
The feature encodes the choice and checks it is still valid before it uses it."""

from __future__ import annotations

from storage.db import Database


async def chosen(db: Database, user_id: int, view: str) -> str | None:
    return await db.fetchval("SELECT choice FROM view_choices WHERE user_id = ? AND view = ?", (user_id, view))


async def remember(db: Database, user_id: int, view: str, choice: str) -> None:
    await db.execute(
        "INSERT INTO view_choices (user_id, view, choice) VALUES (?, ?, ?)"
        " ON CONFLICT (user_id, view) DO UPDATE SET choice = excluded.choice",
        (user_id, view, choice),
    )


async def forget(db: Database, user_id: int, view: str) -> None:
    await db.execute("DELETE FROM view_choices WHERE user_id = ? AND view = ?", (user_id, view))


async def forget_user(db: Database, user_id: int) -> None:
    """/forget: every screen's choice of this account."""
    await db.execute("DELETE FROM view_choices WHERE user_id = ?", (user_id,))
