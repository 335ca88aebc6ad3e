"""Footnotes: numbered notes in a page's trailing block, and the bare link lists after them.

Note numbers run through a document (1, 2, 3...), so a line starting with the next expected
number, after a blank line, opens a block of notes. That sequence is what tells a note
("12 OSCE Permanent Council (2003)...") from a numbered heading ("1 Introduction") or a list.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence

from ingest.document import Footnote, Line
from ingest.sentences import ends_sentence

NOTE_START = re.compile(r"^(\d{1,3})\s+(\S.*)$")
URL = re.compile(r"^(?:https?://|www\.)\S*$", re.IGNORECASE)
# A year in brackets or an unfinished phrase: a reference, never a heading.
CITATION = re.compile(r"\(\d{4}\)|[,;(]$")
# Notes may be skipped (a note attached to a figure the text export dropped).
SKIP = 5


def split_footnotes(
    lines: Sequence[Line], paged: bool, wide: float
) -> tuple[list[Line], list[Footnote]]:
    """Body lines with note blocks removed, and the notes (each keeps its lines and page)."""
    reader = _NoteReader(lines, paged, wide)
    return reader.run()


class _NoteReader:
    def __init__(self, lines: Sequence[Line], paged: bool, wide: float) -> None:
        self.lines = lines
        self.paged = paged
        self.wide = wide
        self.expected = 1
        self.body: list[Line] = []
        self.notes: list[Footnote] = []
        self.group = 0
        self.page_lines: dict[int, list[int]] | None = None  # non-blank line indexes per page

    def run(self) -> tuple[list[Line], list[Footnote]]:
        i = 0
        while i < len(self.lines):
            if self._opens_block(i):
                i = self._read_block(i)
            else:
                line = self.lines[i]
                # Bare link lists left over from a page's link annotations are never body text.
                if URL.match(line.text) and self._link_target(i):
                    self.body.append(Line("", line.page, line.page_start, line.indented))
                else:
                    self.body.append(line)
                i += 1
        return self.body, self.notes

    def _number(self, line: Line, confirm_at: int | None = None) -> int | None:
        """The note number the line starts with, if it fits the running sequence.

        A number further ahead is accepted when the next note follows it (`confirm_at` is the
        line's index): that resynchronises after notes the export mangled.
        """
        match = NOTE_START.match(line.text)
        if match is None or line.item:
            return None
        number = int(match.group(1))
        if self.expected <= number <= self.expected + SKIP:
            return number
        if (
            confirm_at is not None
            and number > self.expected
            and self._followed_by(confirm_at, number + 1)
        ):
            return number
        return None

    def _followed_by(self, i: int, number: int) -> bool:
        for line in self.lines[i + 1 : i + 6]:
            if line.blank:
                continue
            match = NOTE_START.match(line.text)
            if match and int(match.group(1)) == number:
                return True
        return False

    def _opens_block(self, i: int) -> bool:
        line = self.lines[i]
        number = self._number(line, confirm_at=i)
        if number is None:
            return False
        # Notes follow a blank line, unless they are set in note type (wide lines) right after
        # the end of another note or paragraph.
        previous = self.lines[i - 1].text if i > 0 else ""
        fresh = not previous or line.page_start or line.indented
        small_type = len(line.text) >= self.wide and ends_sentence(previous)
        if not (fresh or small_type or (ends_sentence(previous) and self._page_bottom(i))):
            return False
        if not _looks_like_heading(line.text.split(" ", 1)[1]):
            return True
        # "1 Introduction" is a heading unless more notes follow or it closes its page.
        return number == self.expected and (self._note_follows(i) or self._ends_page(i))

    def _note_follows(self, i: int) -> bool:
        for line in self.lines[i + 1 : i + 4]:
            if line.blank:
                continue
            return self._number(line) is not None
        return False

    def _page_bottom(self, i: int) -> bool:
        """In the last part of its page: PDF text has no blank line above the notes."""
        page = self.lines[i].page
        if page is None:
            return False
        if self.page_lines is None:
            self.page_lines = defaultdict(list)
            for j, line in enumerate(self.lines):
                if line.text and line.page is not None:
                    self.page_lines[line.page].append(j)
        on_page = self.page_lines[page]
        after = sum(1 for j in on_page if j > i)
        return after < max(3, 0.4 * len(on_page))

    def _ends_page(self, i: int) -> bool:
        if not self.paged:
            return False
        page = self.lines[i].page
        rest = [line for line in self.lines[i + 1 :] if line.page == page and not line.page_start]
        return all(line.blank or URL.match(line.text) for line in rest)

    def _link_target(self, i: int) -> bool:
        """A bare link that no sentence introduces ("Available at:") is a page's link target."""
        neighbours = self.lines[max(0, i - 1) : i + 2]
        if sum(1 for line in neighbours if URL.match(line.text)) >= 2:
            return True
        before = next((line.text for line in reversed(self.lines[:i]) if line.text), "")
        return not before.endswith((":", " at", " see", " See"))

    def _read_block(self, start: int) -> int:
        """Consume a block of notes from `start`; return the index of the first line after it."""
        self.group += 1
        self._reclaim_continued_note()
        current: list[Line] = []
        number: int | None = None
        after_blank = False
        after_url = False
        last = start
        i = start
        while i < len(self.lines):
            line = self.lines[i]
            if i > start and (line.page_start or (line.indented and not self.paged)):
                break  # a new page (or, unpaged, a new box or page) ends the notes
            if line.blank:
                after_blank = True
            elif URL.match(line.text):
                after_url, after_blank, last = True, False, i
            elif i == start or self._number(line, confirm_at=i) is not None:
                self._flush(number, current)
                match = NOTE_START.match(line.text)
                number = int(match.group(1)) if match else None
                self.expected = (number or self.expected) + 1
                current = [line]
                after_blank = after_url = False
                last = i
            elif self._continues(line, current, after_blank, after_url):
                current.append(line)
                after_blank = after_url = False
                last = i
            else:
                break
            i += 1
        self._flush(number, current)
        return last + 1

    def _continues(
        self, line: Line, current: list[Line], after_blank: bool, after_url: bool
    ) -> bool:
        if not current:
            return False
        first = line.text[:1]
        # Lowercase or punctuation: the middle of a sentence, never the start of body text.
        starts_low = not (first.isupper() or first.isdigit() or first in "\"“‘'")
        if after_url:
            return starts_low  # "(accessed 1 December 2021)" after a link
        if not after_blank:
            return True
        # After a blank line: the note's own sentence must still be open, and the line must look
        # like note text rather than the body resuming below the notes.
        open_sentence = not ends_sentence(current[-1].text)
        return open_sentence and (self.paged or starts_low or len(line.text) >= self.wide)

    def _flush(self, number: int | None, lines: list[Line]) -> None:
        if lines:
            self.notes.append(Footnote(number, tuple(lines), self.group, len(self.body)))

    def _reclaim_continued_note(self) -> None:
        """A note running over from the previous page sits just above the next page's notes:
        set in note type (wide lines) and starting mid-sentence, it is not body text."""
        end = len(self.body)
        while end > 0 and self.body[end - 1].blank:
            end -= 1
        begin = end
        while begin > 0 and not self.body[begin - 1].blank:
            begin -= 1
            if self.body[begin].indented or self.body[begin].page_start:
                break
        paragraph = self.body[begin:end]
        if not paragraph or not paragraph[0].text[:1].islower():
            return
        if all(len(line.text) >= self.wide for line in paragraph[:-1]) and len(paragraph) > 1:
            del self.body[begin:end]
            self.notes.append(Footnote(None, tuple(paragraph), self.group, begin))


def _looks_like_heading(text: str) -> bool:
    """Short and plain, like "1 Introduction" or "2 Twelve principles": a note needs more proof.

    Notes read as references or sentences: they are long, end with a full stop, or cite.
    """
    if len(text.split()) > 8 or ends_sentence(text) or CITATION.search(text):
        return False
    return not text.lower().startswith(("see ", "ibid", "cf.", "http", "www."))


def note_lines(notes: Sequence[Footnote]) -> list[Line]:
    """All lines of the given notes, in order (for joining into text)."""
    return [line for note in notes for line in note.lines]
