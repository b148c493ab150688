"""/forget: erase what the core tables hold about one Telegram user, inside the caller's transaction.

Deleted: links, preferences, unfinished conversations (fsm_states), queued messages (outbox) and the
users row itself. Kept but cut loose from the account: audit rows (user id set to NULL — the school keeps
its security record of what happened to which e-diary person) and link codes (used_by/issued_by cleared).
Failed-attempt rows of the rate limit hold only an HMAC of the id and vanish within 15 minutes on their
own; they are kept so that /forget cannot be used to reset the limit.
"""

from __future__ import annotations

from dataclasses import dataclass

from storage import audit, codes, outbox
from storage import links as links_repo
from storage.db import Database
from storage.fsm import forget_user_states


@dataclass(frozen=True, slots=True)
class Erased:
    links: int
    outbox_items: int
    audit_rows_anonymized: int


async def forget_user(db: Database, user_id: int) -> Erased:
    async with db.transaction():
        links = await db.fetchval("SELECT COUNT(*) FROM links WHERE user_id = ?", (user_id,))
        queued = await db.fetchval("SELECT COUNT(*) FROM outbox WHERE chat_id = ?", (user_id,))
        await db.execute("DELETE FROM links WHERE user_id = ?", (user_id,))
        links_repo.forget_memo()
        await db.execute("DELETE FROM preferences WHERE user_id = ?", (user_id,))
        await forget_user_states(db, user_id)
        await outbox.forget_chat(db, user_id)  # a private chat's id is the user's id
        await codes.forget_user(db, user_id)
        anonymized = await audit.anonymize_user(db, user_id)
        await db.execute("DELETE FROM users WHERE user_id = ?", (user_id,))
    return Erased(links=int(links or 0), outbox_items=int(queued or 0), audit_rows_anonymized=anonymized)
