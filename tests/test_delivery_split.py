"""The one splitter: alerts measure with len, relayed messages in UTF-16 units as Telegram counts them."""

from __future__ import annotations

from bot.delivery.split import shorten, split_message, utf16_len, visible_len


def test_whole_lines_go_together_and_a_line_longer_than_the_limit_is_cut() -> None:
    assert split_message("aaa\nbb\ncccc", limit=6) == ["aaa\nbb", "cccc"]
    assert split_message("x" * 10, limit=4) == ["xxxx", "xxxx", "xx"]
    assert split_message("short") == ["short"]
    assert split_message("") == [""]


def test_utf16_measure_counts_an_emoji_twice_and_never_cuts_one_in_half() -> None:
    text = "😀" * 3
    assert utf16_len(text) == 6
    assert split_message(text, limit=4) == [text]  # by len: 3 characters
    assert split_message(text, limit=4, measure=utf16_len) == ["😀😀", "😀"]
    assert visible_len("<b>a &amp; b</b>") == 5


def test_shorten_keeps_what_fits_and_prefers_a_line_break_in_the_second_half() -> None:
    assert shorten("fits", 4) == "fits"
    assert shorten("abcdefgh", 5) == "abcd…"
    assert shorten("abcd\nefgh", 7) == "abcd\n…"  # the break at 4 is past half of the 6 that fit
    assert shorten("ab\ncdefgh", 8) == "ab\ncdef…"  # the break at 2 is too early: cut where it fills
    shortened = shorten("😀" * 10, 7, measure=utf16_len)
    assert shortened == "😀😀😀…" and utf16_len(shortened) <= 7
