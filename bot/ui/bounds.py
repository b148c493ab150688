"""Bounds for numbers in callback data: a forged out-of-range number is an unknown button (it fails to unpack
and gets the stale-button answer) instead of an error deep in storage (SQLite integers are 64-bit)."""

from __future__ import annotations

from pydantic import Field

ROW_ID_MAX = 2**63 - 1  # the largest SQLite INTEGER
PAGE_MAX = 9999


def row_id() -> int:
    """`thread_id: int = row_id()` — a stored row's id (positive, 64-bit)."""
    return Field(ge=1, le=ROW_ID_MAX)


def page(default: int = 0) -> int:
    """`page: int = page()` — a page number of a long list."""
    return Field(default, ge=0, le=PAGE_MAX)
