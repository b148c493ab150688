"""Local fake servers of the e-diaries' APIs, serving the real field names and quirks (no network)."""
