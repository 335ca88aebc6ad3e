"""Other programs' readers of Haven's quiz exports, for the tests: gift-pegjs under node (GIFT),
an XSD of Moodle's XML format with xmlschema, LibreOffice's converter (CSV) and markdown-it
(the Markdown handout). docs/quiz.md says which reader checks what."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

NODE_DIR = Path(__file__).resolve().parent / "node"
GIFT_SCRIPT = NODE_DIR / "parse_gift.js"
MOODLE_XSD = Path(__file__).resolve().parent / "moodle_quiz.xsd"
# LibreOffice's CSV import options: comma, double quote, UTF-8 (76), from line 1 — what a
# trainer picks in the Text Import dialog. Without them headless Calc reads the file as Latin-1.
CSV_IMPORT = "CSV:44,34,76,1"


def node_missing() -> str | None:
    """Why the GIFT reader cannot run here, or None."""
    if shutil.which("node") is None:
        return "node is not installed (make install-test installs Debian's nodejs and npm)"
    return None


def gift_pegjs_missing() -> str | None:
    if not (NODE_DIR / "node_modules" / "gift-pegjs").is_dir():
        return f"gift-pegjs is not installed: run make install-test (npm ci in {NODE_DIR})"
    return None


def parse_gift(files: list[Path]) -> list[dict[str, Any]]:
    """Each file parsed by gift-pegjs, in one node process: {"file", "questions"} or
    {"file", "error": {"message", "line", "column"}}."""
    done = subprocess.run(
        ["node", str(GIFT_SCRIPT), *map(str, files)],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    results: list[dict[str, Any]] = json.loads(done.stdout)
    return results


def moodle_schema() -> Any:
    """The XSD 1.1 schema of Moodle's quiz XML (xmlschema.XMLSchema11)."""
    import xmlschema

    return xmlschema.XMLSchema11(str(MOODLE_XSD))


def soffice_missing() -> str | None:
    if shutil.which("soffice") is None:
        return (
            "LibreOffice is not installed (make install-test installs Debian's "
            "libreoffice-calc-nogui when run as root)"
        )
    return None


def libreoffice_cells(csv_files: list[Path], workdir: Path) -> list[list[list[str]]]:
    """Each CSV file opened by LibreOffice Calc (one headless run for all), saved as xlsx and
    read back cell by cell, as the texts a spreadsheet shows."""
    from openpyxl import load_workbook

    out = workdir / "xlsx"
    subprocess.run(
        [
            "soffice",
            # A profile of our own: no clash with a LibreOffice the user has open.
            f"-env:UserInstallation={(workdir / 'lo-profile').as_uri()}",
            "--headless",
            f"--infilter={CSV_IMPORT}",
            "--convert-to",
            "xlsx",
            "--outdir",
            str(out),
            *map(str, csv_files),
        ],
        capture_output=True,
        timeout=180,
        check=True,
    )
    tables = []
    for csv_file in csv_files:
        sheet = load_workbook(out / f"{csv_file.stem}.xlsx").active
        assert sheet is not None
        tables.append([[_shown(v) for v in row] for row in sheet.iter_rows(values_only=True)])
    return tables


def _shown(value: object) -> str:
    """A cell's value as Calc shows it: it reads "1" as a number and "true" as TRUE."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value).upper()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def render_markdown(text: str) -> str:
    """HTML from markdown-it (CommonMark, with GitHub's tables and strikethrough)."""
    from markdown_it import MarkdownIt

    md = MarkdownIt("commonmark").enable(["table", "strikethrough"])
    return str(md.render(text))
