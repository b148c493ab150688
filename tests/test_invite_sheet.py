"""The printable sheet: one card per person, and each card's QR code really encodes that person's link.

The QR is read back from the SVG (the dark modules segno draws as horizontal strokes) and compared module
by module with the QR code of the link the card's own code belongs to, so a QR of any other link fails.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

import segno

from bot.codes.code import deep_link, normalize_code
from bot.codes.secret import code_hasher
from bot.i18n import create_i18n
from bot.invite.issue import issue_codes
from bot.invite.people import class_holders
from bot.invite.sheet import render_sheet
from storage import codes as codes_repo
from tests.conftest import App


class Cards(HTMLParser):
    """Each card's person id, and the text and SVG of its parts."""

    def __init__(self) -> None:
        super().__init__()
        self.cards: list[dict] = []
        self._field: str | None = None

    def handle_starttag(self, tag: str, attrs: list) -> None:
        attributes = dict(attrs)
        if tag == "section" and attributes.get("class") == "card":
            self.cards.append({"person": attributes["data-person"], "svg": "", "text": {}})
        elif tag == "p" and self.cards:
            self._field = attributes.get("class")
        elif tag in ("svg", "path") and self.cards:
            self.cards[-1]["svg"] += self.get_starttag_text()

    def handle_endtag(self, tag: str) -> None:
        if tag == "p":
            self._field = None

    def handle_data(self, data: str) -> None:
        if self._field and self.cards:
            fields = self.cards[-1]["text"]
            fields[self._field] = fields.get(self._field, "") + data


def qr_modules(svg: str) -> tuple[int, set[tuple[int, int]]]:
    """(size of the drawing in modules, the dark modules as (row, column)) of a segno SVG path."""
    size = int(re.search(r'viewBox="0 0 (\d+) \1"', svg).group(1))
    path = re.search(r'<path[^>]* d="([^"]+)"', svg).group(1)
    tokens = re.findall(r"[A-Za-z]|-?\d+(?:\.\d+)?", path)
    x = y = 0.0
    dark: set[tuple[int, int]] = set()
    i = 0
    while i < len(tokens):
        command = tokens[i]
        if command in ("M", "m"):
            dx, dy = float(tokens[i + 1]), float(tokens[i + 2])
            x, y = (dx, dy) if command == "M" else (x + dx, y + dy)
            i += 3
        elif command == "h":
            length = int(float(tokens[i + 1]))
            dark |= {(int(y), int(x) + k) for k in range(length)}
            x += length
            i += 2
        else:
            raise AssertionError(f"unexpected path command {command!r}")
    return size, dark


def encodes(svg: str, link: str) -> bool:
    """True when the drawn QR code is segno's QR code of `link` (at whichever error level it used)."""
    size, dark = qr_modules(svg)
    for error in "lmqh":
        qr = segno.make_qr(link, error=error, boost_error=False)
        border = (size - qr.symbol_size(border=0)[0]) // 2
        expected = {(r + border, c + border) for r, row in enumerate(qr.matrix) for c, bit in enumerate(row) if bit}
        if dark == expected:
            return True
    return False


async def class_sheet(app: App, class_name: str, locale: str = "en"):
    settings = app.ctx.settings
    holders = await class_holders(app.ctx.provider, class_name, "all")
    invitations = await issue_codes(
        app.db,
        code_hasher(settings),
        holders,
        bot_username="ediary_test_bot",
        now=app.clock.now(),
        ttl_days=14,
        tz=settings.tz,
        issued_by=None,
        via="test",
    )
    html = render_sheet(
        invitations,
        title=f"Class {class_name}",
        bot_username="ediary_test_bot",
        i18n=create_i18n(),
        locale=locale,
        tz=settings.tz,
        issued_at=app.clock.now(),
    )
    parser = Cards()
    parser.feed(html)
    return holders, parser.cards, html


async def test_the_sheet_holds_one_card_per_person_and_each_qr_encodes_that_persons_link(app: App) -> None:
    holders, cards, _ = await class_sheet(app, "5А")
    provider = app.ctx.provider
    students = await provider.class_students("5А")
    parents = {p.id for s in students for p in await provider.parents_of(s.id)}
    assert sorted(card["person"] for card in cards) == sorted({s.id for s in students} | parents)
    assert [card["person"] for card in cards] == [h.id for h in holders]
    names = {h.id: h.person.full_name for h in holders}
    hasher = code_hasher(app.ctx.settings)
    links = []
    for card in cards:
        assert card["text"]["name"] == names[card["person"]]
        code = normalize_code(card["text"]["code"])
        assert code is not None
        stored = await codes_repo.find_by_hash(app.db, hasher.code(code))
        assert stored is not None and stored.person_id == card["person"]  # the printed code is this person's
        link = deep_link("ediary_test_bot", code)
        assert card["text"]["link"] == link
        assert encodes(card["svg"], link), f"the QR code of {card['person']} does not encode {link}"
        links.append(link)
    # the check can fail: no card's QR matches another card's link
    assert not encodes(cards[0]["svg"], links[1])
    assert not encodes(cards[0]["svg"], links[0] + "X")


async def test_a_family_keeps_its_cards_together_and_a_parent_appears_once(app: App) -> None:
    holders, cards, _ = await class_sheet(app, "5А")
    students = [h for h in holders if h.role == "student"]
    parents = [h for h in holders if h.role == "parent"]
    assert len(students) == 8
    assert len({p.id for p in parents}) == len(parents)
    first_parents = await app.ctx.provider.parents_of(students[0].id)
    assert [c["person"] for c in cards[1 : 1 + len(first_parents)]] == [p.id for p in first_parents]


async def test_cards_tell_how_to_use_them_in_russian(app: App) -> None:
    _, cards, html = await class_sheet(app, "9В", locale="ru")
    assert '<html lang="ru">' in html
    assert "@page { size: A4" in html
    student_card = cards[0]["text"]
    by_person = {card["person"]: card["text"] for card in cards}
    # the e-diary's sex decides the word (issue 11, item 8): Иванова Софья, Макаров Александр
    assert by_person["s17"]["details"] == "ученица, класс 9В"
    assert by_person["s18"]["details"] == "ученик, класс 9В"
    assert "/link" in student_card["how"] and "@ediary_test_bot" in student_card["how"]
    assert "9 декабря 2026" in student_card["expires"]
