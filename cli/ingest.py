"""`haven ingest`: build or update the index."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer
from tqdm import tqdm

from cli.common import EXIT_SKIPPED, settings
from documents.catalog import index_catalog, index_paths
from documents.folder import UploadFolder
from index.builder import IndexBuilder
from index.config import chunker_config, embedder_spec
from index.embedder import make_embedder


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
) -> None:
    """Build or update the index. Only new or changed documents are embedded."""
    config = settings()
    # Uploaded documents are always part of the build: one left out would be dropped.
    targets = index_paths(config, paths)
    missing = [str(p) for p in targets if not p.exists()]
    if missing:
        typer.echo(f"error: not found: {', '.join(missing)}", err=True)
        raise typer.Exit(1)
    builder = IndexBuilder(
        config.index_dir,
        make_embedder(embedder_spec(config)),
        chunker_config(config),
        index_catalog(config),
        config.retrieval.faiss_index,
        progress=None if quiet else _TqdmProgress,  # type: ignore[arg-type]
    )
    with UploadFolder(config.uploads_dir).lock():  # not while an upload is being indexed
        report = builder.build(targets)
    for line in report.skipped:
        typer.echo(f"skipped: {line}", err=True)
    for doc in report.kept_previous:
        typer.echo(f"kept the previously indexed version of {doc}", err=True)
    if report.changed:
        rate = report.embedded_chunks / report.seconds if report.seconds else 0.0
        typer.echo(
            f"index {report.build_id}: {report.chunks} chunks "
            f"(added {len(report.added)}, updated {len(report.updated)}, "
            f"unchanged {len(report.unchanged)}, removed {len(report.removed)} documents; "
            f"embedded {report.embedded_chunks} chunks in {report.seconds:.1f}s, "
            f"{rate:.1f} chunks/s)"
        )
    else:
        typer.echo(f"index is up to date ({report.chunks} chunks)")
    if report.skipped:
        raise typer.Exit(EXIT_SKIPPED)
