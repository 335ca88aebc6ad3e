"""Document structure: which lines are headings, and the section path of every paragraph.

Headings are found conservatively. A line counts only when its shape (short, no closing full
stop) and its context agree: numbering that continues the document's sequence ("5.3" after
"5.2", "18" after chapter 17), a keyword ("PART", "Pillar", "Annex"), a page start, title case
or standing alone between blank lines. A line that a sentence runs into, or out of, never is.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from ingest.blocks import Block, build_blocks, footnote_blocks
from ingest.cleaning import CleanText, WordForms, join_lines
from ingest.document import Headings, Line
from ingest.headings import (
    KEYWORD,
    KEYWORD_LEVEL,
    NUMBER_ONLY,
    NUMBERED,
    Heading,
    dangling,
    display_title,
    heading_shape,
    is_caps,
    is_title_case,
    label_key,
)
from ingest.sentences import ends_sentence

MARKED_HEADING = re.compile(r"^(#{1,6}) (.+)$")
# A weak heading's run of siblings with no text between them is a list, not an outline.
LIST_RUN = 3
# How many lines a run of numbered item headings may stretch between two items.
ITEM_REACH = 150


@dataclass
class _Numbering:
    chapter: int = 0
    minor: int = 0
    item: int = 0
    item_line: int = -1  # where the last numbered item heading was

    def in_items(self, number: int, line: int) -> bool:
        """Continues a recent run of numbered items (gaps allowed: rows a table export lost)."""
        recent = line - self.item_line <= ITEM_REACH
        return self.item > 0 and self.item < number <= self.item + 6 and recent


@dataclass
class _Context:
    lines: Sequence[Line]
    vocabulary: WordForms
    labels: set[str] = field(default_factory=set)
    title_mode: bool = False  # page-start headings in sentence case are subsections


def outline(clean: CleanText, headings: Headings, title: str = "") -> list[Block]:
    """Split cleaned lines into heading, paragraph and item blocks, each with a section path."""
    lines = clean.lines
    if headings is Headings.MARKED:
        found = marked_headings(lines)
    else:
        found = inferred_headings(lines, clean.vocabulary)
    blocks, sections = build_blocks(lines, found, clean.vocabulary, title)
    return blocks + footnote_blocks(clean.footnotes, sections, clean.vocabulary)


def marked_headings(lines: Sequence[Line]) -> list[Heading]:
    found = []
    for i, line in enumerate(lines):
        match = MARKED_HEADING.match(line.text)
        if match:
            level = len(match.group(1)) - 1
            found.append(Heading(i, i + 1, level, display_title(match.group(2)), "marked"))
    return found


def inferred_headings(lines: Sequence[Line], vocabulary: WordForms) -> list[Heading]:
    context = _Context(lines, vocabulary)
    context.labels = _repeated_labels(lines)
    context.title_mode = _title_mode(lines, context.labels)
    numbering = _Numbering()
    found: list[Heading] = []
    i = 0
    previous_heading_end = -1
    while i < len(lines):
        line = lines[i]
        if line.blank or line.item:
            i += 1
            continue
        heading = _heading_at(i, context, numbering, after_heading=previous_heading_end == i)
        if heading is None:
            i += 1
            continue
        found.append(heading)
        previous_heading_end = _skip_blanks(lines, heading.end)
        i = heading.end
    found = _drop_list_runs(found, lines)
    _bind_chapters(found)
    return found


def _heading_at(
    i: int, ctx: _Context, numbering: _Numbering, after_heading: bool
) -> Heading | None:
    line = ctx.lines[i]
    text = line.text
    number_only = NUMBER_ONLY.match(text)
    if number_only:
        return _number_only_heading(i, int(number_only.group(1)), ctx, numbering)
    numbered = NUMBERED.match(text)
    if numbered:
        heading = _numbered_heading(i, numbered, ctx, numbering)
        if heading is not None or numbered.group(4) != "" or numbered.group(2):
            return heading
    keyword = KEYWORD.match(text)
    if keyword:
        # A "Chapter III – ..." line that fails the keyword rules quotes some other text.
        return _keyword_heading(i, keyword.group(1).lower(), ctx)
    return _weak_heading(i, ctx, after_heading)


def _numbered_heading(
    i: int, match: re.Match[str], ctx: _Context, numbering: _Numbering
) -> Heading | None:
    major = int(match.group(1))
    minor = int(match.group(2)) if match.group(2) else None
    sub = match.group(3)
    dotted = match.group(4) == "."
    end, text = _merge(i, ctx, strong=True, numbered=True)
    if not heading_shape(text, strong=True) or _continues_into(end, ctx):
        return None
    if minor is not None:
        same = major == numbering.chapter and (minor > numbering.minor or sub is not None)
        # The first numbered section of a text may be anywhere (a handbook excerpt).
        first = numbering.chapter == 0
        new_chapter = (first or numbering.chapter < major <= numbering.chapter + 2) and minor <= 2
        if not (same or new_chapter):
            return None
        numbering.chapter, numbering.minor, numbering.item = major, minor, 0
        level = 3 if sub else 2
        return Heading(i, end, level, display_title(text), "section", chapter=major)
    in_items = numbering.in_items(major, i) or (major == 1 and dotted)
    first = numbering.chapter == 0 and major <= 30
    new_chapter = (first or numbering.chapter < major <= numbering.chapter + 3) and not dotted
    if new_chapter and not (numbering.item and in_items):
        numbering.chapter, numbering.minor, numbering.item = major, 0, 0
        return Heading(i, end, 1, display_title(text), "chapter", chapter=major)
    if in_items or major == 1:
        # Numbered entries of a list of named items ("1 Access to the NRM", "3. Revictimisation")
        # when each stands alone as the heading of the text under it.
        end, text = _merge_paragraph(i, ctx)
        if not heading_shape(text) or not _stands_alone(i, end, ctx):
            return None
        numbering.item, numbering.item_line = major, i
        return Heading(i, end, 2, display_title(text), "item")
    return None


def _number_only_heading(
    i: int, number: int, ctx: _Context, numbering: _Numbering
) -> Heading | None:
    """A number alone on its line ("2.") with the heading text on the lines below it."""
    if not (number == 1 or numbering.in_items(number, i)):
        return None
    end, text = _merge_paragraph(i, ctx)
    if end == i + 1 or not heading_shape(text):
        return None
    numbering.item, numbering.item_line = number, i
    return Heading(i, end, 2, display_title(text), "item")


def _keyword_heading(i: int, keyword: str, ctx: _Context) -> Heading | None:
    end, text = _merge(i, ctx, strong=True, numbered=True)
    if not heading_shape(text, allow_colon=True, strong=True) or text.count(",") > 1:
        return None
    if len(text.split()) > 12 or _continues_into(end, ctx) or _continued_from(i, ctx):
        return None  # "Chapter III – Measures to protect ...: Articles" quotes a treaty
    level = KEYWORD_LEVEL[keyword]
    kind = "part" if level == 0 else "keyword"
    return Heading(i, end, level, display_title(text), kind)


def _weak_heading(i: int, ctx: _Context, after_heading: bool) -> Heading | None:
    line = ctx.lines[i]
    # Cheap rejections first: most lines are body text running on from the line before.
    if not line.text[:1].isalpha() or not line.text[:1].isupper() or len(line.text) > 140:
        return None
    if not after_heading and _continued_from(i, ctx):
        return None
    end, text = _merge(i, ctx, strong=line.page_start)
    label = label_key(text) in ctx.labels
    question_ok = line.page_start or is_title_case(text)
    if not heading_shape(text, allow_colon=label, allow_question=question_ok):
        return None
    if _continues_into(end, ctx) or (not after_heading and _continued_from(i, ctx)):
        return None
    if end >= len(ctx.lines) or _next_text(end, ctx) is None:
        return None
    isolated = after_heading or _blank_before(i, ctx)
    if not (line.page_start or label or is_title_case(text) or isolated):
        return None
    if not text[:1].isalpha():
        return None  # numbers open headings only through the numbering rules
    if text.count(",") > 2:
        return None  # a list or a reference, not a title
    if not line.page_start and not _blank_after(end, ctx) and _wraps(text, ctx.lines[end].text):
        return None  # a line as wide as the text running straight on is a sentence, not a title
    if label:
        return Heading(i, end, 3, display_title(text), "label")
    if line.page_start:
        level = 3 if ctx.title_mode and not is_title_case(text) else 1
        return Heading(i, end, level, display_title(text), "page")
    return Heading(i, end, 3, display_title(text), "weak")


def _merge(i: int, ctx: _Context, strong: bool, numbered: bool = False) -> tuple[int, str]:
    """A heading wrapped over up to three lines: join continuation lines, return (end, text).

    `strong` candidates (numbered, keyword, page start) may take a short last line after a long
    one; unnumbered ones may join short title-case lines of a narrow sidebar.
    """
    lines = ctx.lines
    used = [lines[i]]
    j = i + 1
    while len(used) < 3 and j < len(lines):
        nxt = lines[j]
        if nxt.blank or nxt.item or nxt.page_start or len(nxt.text) > 70:
            break
        current = join_lines(used, ctx.vocabulary)[0]
        follows_blank = j + 1 >= len(lines) or lines[j + 1].blank
        wants = (
            dangling(current)
            or nxt.text[:1].islower()
            or (is_caps(current) and is_caps(nxt.text))
            or (strong and current.endswith(":"))
            or (strong and len(current) >= 50 and len(nxt.text.split()) <= 3 and follows_blank)
            or (
                not numbered
                and is_title_case(current)
                and is_title_case(nxt.text)
                and len(nxt.text.split()) <= 3
                and len(current) + len(nxt.text) <= 72
            )
        )
        if not wants or (ends_sentence(nxt.text) and not nxt.text.endswith((":", "?"))):
            break
        used.append(nxt)
        j += 1
    return j, join_lines(used, ctx.vocabulary)[0]


def _merge_paragraph(i: int, ctx: _Context) -> tuple[int, str]:
    """A short paragraph (up to 4 lines) taken whole as a heading's text."""
    lines = ctx.lines
    j = i
    while j < len(lines) and not lines[j].blank and j - i < 4:
        if j > i and (lines[j].item or lines[j].page_start):
            break
        j += 1
    return j, join_lines(lines[i:j], ctx.vocabulary)[0]


def _stands_alone(i: int, end: int, ctx: _Context) -> bool:
    """Blank lines (or a page start) around it, and text after it."""
    before = ctx.lines[i].page_start or _blank_before(i, ctx)
    after = end >= len(ctx.lines) or ctx.lines[end].blank
    return before and after and _next_text(end, ctx) is not None


def _continues_into(end: int, ctx: _Context) -> bool:
    """The next line of text carries on the candidate's sentence (starts in lowercase); in these
    exports a sentence often runs on across a blank line."""
    following = _next_text(end, ctx)
    return following is not None and following.text[:1].islower()


def _continued_from(i: int, ctx: _Context) -> bool:
    """The line before runs into this one: an unfinished sentence is not followed by a heading."""
    line = ctx.lines[i]
    if i == 0 or line.page_start or line.indented:
        return False  # a new page, box or bullet starts here
    before = ctx.lines[i - 1]
    return not before.blank and not ends_sentence(before.text)


def _wraps(text: str, following: str) -> bool:
    """The candidate looks like the first line of a wrapped paragraph: long and as wide as the
    line after it, or running on into a bracket ("UN Convention on the Rights of the Child" +
    "(1989) establishes ...")."""
    if following.startswith("("):
        return True
    same_width = 0.85 * len(following) <= len(text) <= 1.2 * len(following)
    return len(text) > 60 and (same_width or ends_sentence(following))


def _blank_after(end: int, ctx: _Context) -> bool:
    return end >= len(ctx.lines) or ctx.lines[end].blank


def _blank_before(i: int, ctx: _Context) -> bool:
    return i == 0 or ctx.lines[i - 1].blank or ctx.lines[i].page_start


def _next_text(end: int, ctx: _Context) -> Line | None:
    j = _skip_blanks(ctx.lines, end)
    return ctx.lines[j] if j < len(ctx.lines) else None


def _skip_blanks(lines: Sequence[Line], i: int) -> int:
    while i < len(lines) and lines[i].blank:
        i += 1
    return i


def _repeated_labels(lines: Sequence[Line]) -> set[str]:
    """Short headings used again and again ("Do No Harm guidance", "Challenge:")."""
    counts: Counter[str] = Counter()
    for line in lines:
        text = line.text
        if not text or line.item or len(text) > 40 or not text[:1].isupper():
            continue
        if heading_shape(text, allow_colon=True):
            counts[label_key(text)] += 1
    return {key for key, n in counts.items() if n >= 2 and len(key) >= 5}


def _title_mode(lines: Sequence[Line], labels: set[str]) -> bool:
    """Whether page-opening chapter titles are in title case, so sentence case marks subsections."""
    titled = 0
    for i, line in enumerate(lines):
        if line.page_start and line.text and heading_shape(line.text):
            following = lines[i + 1].text if i + 1 < len(lines) else ""
            if following[:1].islower() or label_key(line.text) in labels:
                continue
            titled += is_title_case(line.text) and not is_caps(line.text)
    return titled >= 2


def _drop_list_runs(found: list[Heading], lines: Sequence[Line]) -> list[Heading]:
    """Three or more same-kind headings with nothing but blank lines between them: a list."""
    doomed: set[int] = set()
    run: list[int] = []

    def close() -> None:
        if len(run) >= LIST_RUN:
            doomed.update(run)
        run.clear()

    for n, heading in enumerate(found):
        if heading.kind not in ("weak", "label", "keyword", "item", "chapter"):
            close()
            continue
        if run:
            previous = found[run[-1]]
            adjacent = _skip_blanks(lines, previous.end) == heading.start
            same_kind = _family(previous.kind) == _family(heading.kind)
            if adjacent and same_kind and previous.level == heading.level:
                run.append(n)
                continue
            close()
        run.append(n)
    close()
    return [heading for n, heading in enumerate(found) if n not in doomed]


def _family(kind: str) -> str:
    return "weak" if kind == "label" else kind


def _bind_chapters(found: list[Heading]) -> None:
    """Attach numbered sections to the right chapter.

    Chapters sometimes have no numbered title line in the export (OSCE chapter 17 is only
    "Health"); when "17.1" follows a chapter-16 context, the last unnumbered heading before it is
    the chapter title. Without one, the old chapter is closed rather than wrongly kept.
    """
    chapter: int | None = None
    candidate: Heading | None = None
    for heading in found:
        if heading.level <= 1:
            chapter = heading.chapter
            candidate = None
            continue
        if heading.kind == "section" and heading.chapter is not None:
            if chapter is None:
                chapter = heading.chapter
            elif heading.chapter != chapter:
                if candidate is not None:
                    candidate.level = 1
                    candidate.chapter = heading.chapter
                else:
                    heading.clears_chapter = True
                chapter = heading.chapter
            candidate = None
        elif heading.kind in ("weak", "label") and heading.level == 3:
            candidate = heading
