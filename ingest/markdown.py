"""Reading Markdown handbooks: headings become sections, markup is stripped to plain text."""

from __future__ import annotations

import re
from pathlib import Path

from ingest.document import Headings, RawDocument, RawPage
from ingest.text import decode_utf8

ATX_HEADING = re.compile(r"^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$")
SETEXT_UNDERLINE = re.compile(r"^ {0,3}(=+|-+)[ \t]*$")
RULE = re.compile(r"^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$")
LIST_MARKER = re.compile(r"^(\s*)[*+-][ \t]+")
TABLE_DIVIDER = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$")
IMAGE = re.compile(r"!\[([^\]]*)\]\([^)]*\)")
LINK = re.compile(r"\[([^\]]+)\]\([^)]*\)")
HTML_BREAK = re.compile(r"<br\s*/?>", re.IGNORECASE)
HTML_TAG = re.compile(r"</?[A-Za-z][^>]*>")
UNDERSCORE_EMPHASIS = re.compile(r"(?<![\w])_{1,2}(?=\S)(.+?)(?<=\S)_{1,2}(?![\w])")


def read_markdown(path: Path) -> RawDocument:
    """Read a .md file as one unpaged block whose headings are marked with '#' for structure."""
    return RawDocument((RawPage(None, markdown_to_text(decode_utf8(path))),), Headings.MARKED)


def markdown_to_text(source: str) -> str:
    lines = source.split("\n")
    out: list[str] = []
    for index, line in enumerate(lines):
        heading = ATX_HEADING.match(line)
        if heading:
            title = strip_inline(heading.group(2) or "")
            out.append(f"{heading.group(1)} {title}" if title else "")
            continue
        following = lines[index + 1] if index + 1 < len(lines) else ""
        underline = SETEXT_UNDERLINE.match(following)
        if underline and line.strip() and not LIST_MARKER.match(line) and not RULE.match(line):
            level = "#" if underline.group(1).startswith("=") else "##"
            out.append(f"{level} {strip_inline(line)}")
            continue
        if SETEXT_UNDERLINE.match(line) and out and out[-1].startswith("#"):
            continue  # the underline of a setext heading just emitted
        if RULE.match(line) or (TABLE_DIVIDER.match(line) and "|" in line):
            out.append("")
            continue
        out.append(strip_block(line))
    return "\n".join(out)


def strip_block(line: str) -> str:
    """One body line without block markup; list items keep a '- ' marker."""
    text = re.sub(r"^\s{0,3}>\s?", "", line)  # blockquote
    item = LIST_MARKER.match(text)
    if item:
        return "- " + strip_inline(text[item.end() :])
    if text.lstrip().startswith("|"):
        cells = [strip_inline(cell).strip() for cell in text.strip().strip("|").split("|")]
        return " | ".join(cell for cell in cells if cell)
    return strip_inline(text)


def strip_inline(text: str) -> str:
    text = HTML_BREAK.sub(" ", text)
    text = HTML_TAG.sub("", text)
    text = IMAGE.sub(r"\1", text)
    text = LINK.sub(r"\1", text)
    text = text.replace("`", "")
    # Emphasis markers carry no meaning in citations; asterisks never mean multiplication here.
    text = text.replace("*", "")
    text = UNDERSCORE_EMPHASIS.sub(r"\1", text)
    return text.rstrip()
