"""Issued codes for the admin: a readable table, JSON objects and CSV rows (for mail merge)."""

from __future__ import annotations

import csv
import io
import json
import os
import tempfile
from datetime import tzinfo
from pathlib import Path

from bot.invite.issue import Invitation

CSV_COLUMNS = ("person_id", "name", "role", "classes", "code", "link", "expires_at")


def invitation_record(inv: Invitation, tz: tzinfo) -> dict:
    return {
        "person_id": inv.holder.id,
        "name": inv.holder.person.full_name,
        "role": inv.holder.role.value,
        "classes": inv.holder.classes,
        "code": inv.display_code,
        "link": inv.link,
        "expires_at": inv.expires_at.astimezone(tz).isoformat(timespec="seconds"),
    }


def as_json(invitations: list[Invitation], tz: tzinfo) -> str:
    return json.dumps([invitation_record(inv, tz) for inv in invitations], ensure_ascii=False, indent=2)


def as_csv(invitations: list[Invitation], tz: tzinfo) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=CSV_COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    for inv in invitations:
        record = invitation_record(inv, tz)
        record["classes"] = ", ".join(record["classes"])
        writer.writerow(record)
    return buffer.getvalue()


def as_table(invitations: list[Invitation]) -> str:
    rows = [
        (
            inv.holder.id,
            inv.holder.role.value,
            inv.holder.person.full_name,
            ", ".join(inv.holder.classes),
            inv.display_code,
            inv.link,
        )
        for inv in invitations
    ]
    header = ("PERSON", "ROLE", "NAME", "CLASS", "CODE", "LINK")
    widths = [max(len(header[i]), *(len(row[i]) for row in rows)) for i in range(len(header))]

    def line(values: tuple[str, ...]) -> str:
        return "  ".join(v.ljust(w) for v, w in zip(values, widths, strict=False)).rstrip()

    return "\n".join([line(header), *(line(row) for row in rows)])


def write_private(path: Path, text: str, *, bom: bool) -> None:
    """Write atomically (a temporary file renamed into place), readable by the owner only: it holds codes."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8-sig" if bom else "utf-8", newline="") as fp:
            fp.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
