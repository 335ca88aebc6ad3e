"""Page furniture: running headers and footers, page numbers and photo credits.

They repeat on many pages and carry no content; left in, they become false headings or break
sentences that run across a page end.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import replace

from ingest.document import Line

PAGE_NUMBER = re.compile(r"^(?:(\d{1,4})\1?|[Pp]age \d+(?: of \d+)?|- ?\d{1,4} ?-|[ivxl]{1,5})$")
PHOTO_CREDIT = re.compile(r"^(?:photo(?:graph)?s?(?: credit)?\s*(?:by|:|©)|©)", re.I)
# A running footer: a page or chapter title with the page number glued on ("Methodology2").
TITLED_PAGE_NUMBER = re.compile(r"^(.*[^\W\d_?!)])(\d{1,3})$|^(.*[?!)])\s?(\d{1,3})$")
# How near a page edge a line must sit to count as a running header or footer.
EDGE = 3


def drop_furniture(lines: Sequence[Line], title: str = "") -> list[Line]:
    """Blank out furniture lines (blanking keeps line positions and paragraph breaks)."""
    doomed = furniture_indexes(lines, title)
    return [
        replace(line, text="", item=False) if i in doomed else line for i, line in enumerate(lines)
    ]


def furniture_indexes(lines: Sequence[Line], title: str) -> set[int]:
    keys = [_key(line.text) for line in lines]
    counts = Counter(key for key in keys if key)
    title_key = _key(title)
    page_titles = _page_start_titles(lines)
    edges = _edge_indexes(lines)
    # Running headers repeat on a good share of pages; a heading that merely often opens a page
    # ("Do No Harm guidance") repeats far less.
    repeats = max(3, len({line.page for line in lines if line.page is not None}) // 4)
    doomed: set[int] = set()
    for i, line in enumerate(lines):
        text, key = line.text, keys[i]
        if not text:
            continue
        if PAGE_NUMBER.match(text) or (len(text) <= 80 and PHOTO_CREDIT.match(text)):
            doomed.add(i)
        elif len(key) >= 25 and key in title_key and _running(i, key, counts, edges, title_key):
            doomed.add(i)  # the document's own title repeated as a running header or footer
        elif (
            i in edges
            and counts[key] >= repeats
            and len(text) <= 60
            and _edge_share(keys, key, edges)
        ):
            doomed.add(i)
        else:
            titled = TITLED_PAGE_NUMBER.match(text)
            stem = titled and (titled.group(1) or titled.group(3) or "")
            if stem and not stem.rstrip().endswith(":") and _key(stem) in page_titles:
                doomed.add(i)
    return doomed


def _running(i: int, key: str, counts: Counter[str], edges: set[int], title_key: str) -> bool:
    """A repeated piece of the title: at a page edge, or long enough to be a whole title line
    rather than a phrase that headings share with the title ("child trafficking victims")."""
    if counts[key] < 2:
        return False
    return i in edges or len(key) >= 0.4 * len(title_key)


def _key(text: str) -> str:
    return " ".join(text.lower().split()).rstrip(":").strip()


def _page_start_titles(lines: Sequence[Line]) -> set[str]:
    """First lines of pages (and first two lines joined): the titles footers repeat."""
    titles: set[str] = set()
    for i, line in enumerate(lines):
        if line.page_start and line.text and len(line.text) <= 80:
            titles.add(_key(line.text))
            following = lines[i + 1].text if i + 1 < len(lines) else ""
            if following and len(following) <= 60:
                titles.add(_key(f"{line.text} {following}"))
    titles.discard("")
    return titles


def _edge_indexes(lines: Sequence[Line]) -> set[int]:
    """Indexes of the first and last few non-blank lines of every page."""
    by_page: dict[int, list[int]] = defaultdict(list)
    for i, line in enumerate(lines):
        if line.page is not None and line.text:
            by_page[line.page].append(i)
    edges: set[int] = set()
    for indexes in by_page.values():
        edges.update(indexes[:1])
        edges.update(indexes[-EDGE:])
    return edges


def _edge_share(keys: Sequence[str], key: str, edges: set[int]) -> bool:
    """Most occurrences of the line sit at page edges: a header or footer, not a heading."""
    where = [i for i, k in enumerate(keys) if k == key]
    at_edge = sum(1 for i in where if i in edges)
    return at_edge >= 3 and at_edge >= 0.8 * len(where)
