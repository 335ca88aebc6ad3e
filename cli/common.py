"""What every command shares: the settings, the loaded services, exit codes, page labels."""

from __future__ import annotations

import typer

from core.settings import Settings, get_settings
from index.builder import BuildReport
from wiring.container import Container

EXIT_SKIPPED = 2
EXIT_NOT_READY = 3


def settings() -> Settings:
    return get_settings()


def open_state(settings: Settings) -> Container:
    """The services, loaded as the server loads them; exit 3 when the index is not ready."""
    state = Container.load(settings)
    if state.retriever is None:
        typer.echo(f"error: {state.problem}", err=True)
        raise typer.Exit(EXIT_NOT_READY)
    return state


def pages(start: int | None, end: int | None) -> str:
    if start is None:
        return ""
    return f", p. {start}" if end in (None, start) else f", pp. {start}-{end}"


def echo_build(report: BuildReport) -> None:
    if not report.changed:
        typer.echo(f"index is up to date ({report.chunks} chunks)")
        return
    typer.echo(
        f"index {report.build_id}: {report.chunks} chunks "
        f"(added {len(report.added)}, updated {len(report.updated)}, "
        f"unchanged {len(report.unchanged)}, removed {len(report.removed)} documents; "
        f"embedded {report.embedded_chunks} chunks and {report.embedded_questions} of "
        f"{report.questions} hypothetical questions in {report.seconds:.1f}s)"
    )
