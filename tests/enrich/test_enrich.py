"""`haven enrich`: questions written through a language model for passages that have none."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from answer.generator import GeneratorError
from answer.prompts import load_prompt
from cli.main import app
from core.settings import get_settings
from enrich.runner import enrich_missing
from enrich.writer import EnrichConfig, QuestionWriter, parse_reply
from index.enrichment import PassageQuestions, QuestionBank, read_questions_file
from index.layout import IndexLayout
from index.sqlite_store import ChunkStore
from tests.conftest import cli_environment
from tests.support.llm_server import running_llm_server

COUNTS = {"en": 2, "es": 1, "th": 1}
REPLY = json.dumps(
    {
        "en": ["Who pays for the trip home?", "Is the return free?", "A third one?"],
        "es": ["¿Quién paga el zanzíbar de regreso?"],
        "th": ["ใครจ่ายค่าเดินทางกลับ"],
        "de": ["Wer zahlt?"],
    },
    ensure_ascii=False,
)


class ScriptedGenerator:
    """A deterministic stand-in for the model in unit tests: one reply for every passage."""

    def __init__(self, reply: str, fail_after: int | None = None) -> None:
        self.reply = reply
        self.calls: list[str] = []
        self.fail_after = fail_after

    @property
    def name(self) -> str:
        return "scripted"

    def complete(self, system: str, user: str) -> str:
        if self.fail_after is not None and len(self.calls) >= self.fail_after:
            raise GeneratorError("the model endpoint is unreachable (ConnectError)")
        self.calls.append(user)
        return self.reply


def test_reply_is_parsed_and_capped_to_what_was_asked() -> None:
    parsed = parse_reply("Sure! Here you go:\n" + REPLY + "\nHope it helps.", COUNTS)
    assert parsed == {
        "en": ("Who pays for the trip home?", "Is the return free?"),
        "es": ("¿Quién paga el zanzíbar de regreso?",),
        "th": ("ใครจ่ายค่าเดินทางกลับ",),
    }


@pytest.mark.parametrize(
    "reply",
    ["NOT COVERED", "{broken json", '["a list"]', '{"en": "not a list"}', '{"en": [1, 2]}'],
)
def test_unusable_replies_give_nothing(reply: str) -> None:
    assert parse_reply(reply, COUNTS) == {}


@pytest.fixture
def indexed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    cli_environment(tmp_path, monkeypatch, "iom-ilo-migration-officers-leaflet.md")
    assert CliRunner().invoke(app, ["ingest", "-q"]).exit_code == 0
    yield tmp_path / "data"
    get_settings.cache_clear()


def _store(data: Path) -> ChunkStore:
    build = IndexLayout(data / "index").current()
    assert build is not None
    return ChunkStore(build.database)


def test_only_passages_without_questions_are_written(indexed: Path) -> None:
    store = _store(indexed)
    ids = store.body_chunk_ids("iom-ilo-migration-leaflet")
    bank = QuestionBank({ids[0]: PassageQuestions(ids[0], {"en": ("already?",)})})
    generator = ScriptedGenerator(REPLY)
    writer = QuestionWriter(generator, load_prompt("enrich"), EnrichConfig(COUNTS))
    out = indexed / "enrichment"
    report = enrich_missing(store, bank, writer, out, limit=3)
    assert report.written == {"iom-ilo-migration-leaflet": 3}
    assert report.already == {"iom-ilo-migration-leaflet": 1}
    # The prompt carries the passage, its section and what is wanted.
    assert "Questions wanted (language code: how many): en: 2, es: 1, th: 1" in generator.calls[0]
    written = list(read_questions_file(out / "iom-ilo-migration-leaflet.jsonl"))
    assert [e.chunk_id for e in written] == ids[1:4]
    # A second run continues where the first stopped, and an endpoint failure keeps the work.
    failing = QuestionWriter(
        ScriptedGenerator(REPLY, fail_after=2), load_prompt("enrich"), EnrichConfig(COUNTS)
    )
    with pytest.raises(GeneratorError):
        enrich_missing(store, QuestionBank.load([out]), failing, out)
    kept = list(read_questions_file(out / "iom-ilo-migration-leaflet.jsonl"))
    # (ids[0]'s question was only in the first run's bank, so this run wrote it)
    assert [e.chunk_id for e in kept] == [*ids[1:4], ids[0], ids[4]]


def test_enrich_command_through_an_openai_compatible_server(
    indexed: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    runner = CliRunner()
    refused = runner.invoke(app, ["enrich"])
    assert refused.exit_code == 1 and "HAVEN_GENERATOR__BASE_URL" in refused.output
    with running_llm_server() as (base_url, behaviour):
        behaviour.reply = REPLY
        monkeypatch.setenv("HAVEN_GENERATOR__BASE_URL", base_url)
        monkeypatch.setenv("HAVEN_ENRICHMENT__LANGUAGES", '["en", "es", "th"]')
        get_settings.cache_clear()
        result = runner.invoke(app, ["enrich", "--limit", "2"])
    assert result.exit_code == 0, result.output
    assert "iom-ilo-migration-leaflet: 2 passages enriched now" in result.output
    assert len(behaviour.requests) == 2
    # Re-indexed: a Spanish word found only in the new questions now finds their passages
    # (the fake embedder's vectors are noise, so the vector rankings are left out).
    monkeypatch.setenv("HAVEN_RETRIEVAL__VECTOR_WEIGHT", "0")
    monkeypatch.setenv("HAVEN_RETRIEVAL__QUESTION_VECTOR_WEIGHT", "0")
    get_settings.cache_clear()
    found = runner.invoke(app, ["search", "zanzíbar", "--json", "--lang", "es"])
    first = json.loads(found.output)["results"][0]["chunk_id"]
    entries = list(read_questions_file(indexed / "enrichment" / "iom-ilo-migration-leaflet.jsonl"))
    assert first in {e.chunk_id for e in entries}
    doctor = runner.invoke(app, ["doctor"])
    assert "enrichment" in doctor.output and "iom-ilo-migration-leaflet 2/" in doctor.output
