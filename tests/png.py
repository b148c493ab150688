"""Reading a PNG's size back from its header (what a chart test checks without decoding the picture)."""

from __future__ import annotations

import struct


def png_size(data: bytes) -> tuple[int, int]:
    """(width, height) from the IHDR chunk, the first after the 8-byte signature."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    assert data[12:16] == b"IHDR"
    width, height = struct.unpack(">II", data[16:24])
    return width, height
