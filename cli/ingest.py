"""`haven ingest`: build or update the index."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer
from tqdm import tqdm

from cli.common import EXIT_SKIPPED, echo_build, settings
from cli.enrich import enrich_missing_questions
from core.settings import Settings
from documents.catalog import index_builder, index_paths
from documents.folder import UploadFolder
from index.config import embedder_spec
from index.embedder import make_embedder
from index.starter import configured_backend, current_backend, starter_backend


class _TqdmProgress:
    def __init__(self, total: int) -> None:
        self._bar = tqdm(total=total, unit="chunk", desc="embedding", file=sys.stderr)

    def update(self, chunks: int, document: str) -> None:
        self._bar.set_postfix_str(document)
        self._bar.update(chunks)

    def close(self) -> None:
        self._bar.close()


def ingest(
    paths: Annotated[
        list[Path] | None, typer.Argument(help="Files or folders (default: the corpus folder).")
    ] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")] = False,
    starter: Annotated[
        bool,
        typer.Option(
            "--starter",
            help="First start (`make run`): with no index yet, build it with the faster "
            "starter embedder (embedding.starter_backend) so the server answers within "
            "minutes; `haven serve` then builds the configured embedder's index in the "
            "background. A starter index already in use is left to `haven serve`.",
        ),
    ] = False,
) -> None:
    """Build or update the index. Only new or changed documents are embedded."""
    config = settings()
    backend = _starter_choice(config) if starter else None
    # Uploaded documents are always part of the build: one left out would be dropped.
    targets = index_paths(config, paths)
    missing = [str(p) for p in targets if not p.exists()]
    if missing:
        typer.echo(f"error: not found: {', '.join(missing)}", err=True)
        raise typer.Exit(1)
    embedder = make_embedder(embedder_spec(config, backend))
    progress = None if quiet else _TqdmProgress
    builder = index_builder(config, embedder, progress)  # type: ignore[arg-type]
    with UploadFolder(config.uploads_dir).lock():  # not while an upload is being indexed
        report = builder.build(targets)
    for line in report.skipped:
        typer.echo(f"skipped: {line}", err=True)
    for doc in report.kept_previous:
        typer.echo(f"kept the previously indexed version of {doc}", err=True)
    echo_build(report)
    if (
        config.enrichment.on_ingest
        and config.generator.base_url
        and enrich_missing_questions(config, None, None)
    ):
        # The new questions are searched only once indexed (only they are embedded).
        with UploadFolder(config.uploads_dir).lock():
            echo_build(index_builder(config, embedder).build(targets))
    if report.skipped:
        raise typer.Exit(EXIT_SKIPPED)


def _starter_choice(config: Settings) -> str | None:
    """The backend `--starter` builds with: the starter's for a first index, None for the
    configured one; a starter index already in use ends the command (nothing to do)."""
    starter, current = starter_backend(config), current_backend(config)
    if starter is None or (current is not None and current != starter):
        return None
    configured = configured_backend(config)
    if current is None:
        typer.echo(
            f"No index yet: building it with the faster {starter} model first; `haven serve` "
            f"then builds the {configured} index in the background and switches to it.",
            err=True,
        )
        return starter
    typer.echo(
        f"The starter index ({starter}) is in use; `haven serve` rebuilds it with {configured} "
        "in the background (or run `haven ingest` to build it now).",
        err=True,
    )
    raise typer.Exit(0)
