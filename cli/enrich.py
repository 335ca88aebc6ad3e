"""`haven enrich`: hypothetical questions for indexed passages that have none."""

from __future__ import annotations

from typing import Annotated

import typer

from answer.generator import GeneratorError
from cli.common import EXIT_NOT_READY, echo_build, settings
from core.settings import Settings
from documents.catalog import index_builder, index_paths
from documents.folder import UploadFolder
from enrich.factory import make_question_writer
from enrich.runner import enrich_missing
from index.config import embedder_spec, question_bank
from index.embedder import make_embedder
from index.layout import IndexLayout
from index.sqlite_store import ChunkStore


def enrich(
    doc: Annotated[
        list[str] | None, typer.Option("--doc", help="Only this document id (repeatable).")
    ] = None,
    limit: Annotated[
        int | None, typer.Option(help="At most this many passages (a trial run).", min=1)
    ] = None,
    reindex: Annotated[
        bool, typer.Option("--index/--no-index", help="Re-index afterwards (default).")
    ] = True,
) -> None:
    """Write hypothetical questions for indexed passages that have none (uploads, changed
    handbooks) through the configured language model, then re-index so they are searched."""
    config = settings()
    if not config.generator.base_url:
        typer.echo(
            "error: no language model is configured; set HAVEN_GENERATOR__BASE_URL (and "
            "__MODEL) to an OpenAI-compatible endpoint (docs/enrichment.md)",
            err=True,
        )
        raise typer.Exit(1)
    if IndexLayout(config.index_dir).current() is None:
        typer.echo("error: no index yet; run `haven ingest` first", err=True)
        raise typer.Exit(EXIT_NOT_READY)
    written = enrich_missing_questions(config, doc, limit)
    if written and reindex:
        builder = index_builder(config, make_embedder(embedder_spec(config)))
        with UploadFolder(config.uploads_dir).lock():
            echo_build(builder.build(index_paths(config, None)))


def enrich_missing_questions(config: Settings, doc_ids: list[str] | None, limit: int | None) -> int:
    """Questions for the current build's passages that have none, through the configured
    generator, into <data_dir>/enrichment; returns the passages enriched."""
    writer = make_question_writer(config)
    build = IndexLayout(config.index_dir).current()
    if writer is None or build is None:
        return 0
    store = ChunkStore(build.database)
    out = config.data_dir / "enrichment"
    try:
        report = enrich_missing(store, question_bank(config), writer, out, doc_ids, limit)
    except GeneratorError as exc:
        typer.echo(f"error: the language model failed ({exc}); what was written is kept", err=True)
        raise typer.Exit(1) from exc
    finally:
        store.close()
    for doc_id, count in report.written.items():
        unusable = report.unusable.get(doc_id, 0)
        typer.echo(
            f"{doc_id}: {count} passages enriched now, {report.already.get(doc_id, 0)} already"
            + (f", {unusable} replies unusable" if unusable else "")
        )
    return report.total_written
