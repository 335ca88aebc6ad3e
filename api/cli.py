"""The `haven` command line: ingest, search, serve, eval."""

from __future__ import annotations

import json
import logging
import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from api.settings import Settings, get_settings

app = typer.Typer(help="Haven: cited guidance from anti-trafficking handbooks, offline.")

EXIT_SKIPPED = 2
EXIT_NOT_READY = 3


def _settings() -> Settings:
    return get_settings()


class _TqdmProgress:
    def __init__(self, total: int) -> None:
        from tqdm import tqdm

        self._bar = tqdm(total=total, unit="chunk", desc="embedding", file=sys.stderr)

    def update(self, chunks: int, document: str) -> None:
        self._bar.set_postfix_str(document)
        self._bar.update(chunks)

    def close(self) -> None:
        self._bar.close()


@app.command()
def ingest(
    paths: Annotated[
        list[Path] | None, typer.Argument(help="Files or folders (default: the corpus folder).")
    ] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")] = False,
) -> None:
    """Build or update the index. Only new or changed documents are embedded."""
    from api.state import chunker_config, embedder_spec
    from index.builder import IndexBuilder
    from index.embedder import make_embedder
    from ingest.catalog import load_catalog

    settings = _settings()
    targets = paths or [settings.corpus_dir]
    missing = [str(p) for p in targets if not p.exists()]
    if missing:
        typer.echo(f"error: not found: {', '.join(missing)}", err=True)
        raise typer.Exit(1)
    catalog = load_catalog(settings.catalog_path)
    builder = IndexBuilder(
        settings.index_dir,
        make_embedder(embedder_spec(settings)),
        chunker_config(settings),
        catalog,
        settings.retrieval.faiss_index,
        progress=None if quiet else _TqdmProgress,  # type: ignore[arg-type]
    )
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


def _open_state(settings: Settings) -> Any:
    from api.state import AppState

    state = AppState.load(settings)
    if state.retriever is None:
        typer.echo(f"error: {state.problem}", err=True)
        raise typer.Exit(EXIT_NOT_READY)
    return state


@app.command()
def search(
    query: Annotated[str, typer.Argument(help="The question or keywords.")],
    k: Annotated[int, typer.Option("--k", "-k", min=1, max=50, help="Passages.")] = 5,
    doc: Annotated[list[str] | None, typer.Option("--doc", help="Only this document.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Print the passages that best answer QUERY, with handbook, section and page."""
    from api.schemas import Passage, SearchResponse
    from index.errors import UnknownDocumentError

    state = _open_state(_settings())
    try:
        hits = state.retriever.search(query, k, doc)
    except UnknownDocumentError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(1) from exc
    response = SearchResponse(query=query, results=[Passage.from_hit(h) for h in hits])
    if as_json:
        typer.echo(response.model_dump_json(indent=2))
        return
    for i, p in enumerate(response.results, 1):
        pages = _pages(p.page_start, p.page_end)
        typer.echo(f"[{i}] {p.title}\n    {p.section}{pages}  (score {p.score:.4f})")
        typer.echo("    " + p.text.replace("\n", "\n    ") + "\n")


def _pages(start: int | None, end: int | None) -> str:
    if start is None:
        return ""
    return f", p. {start}" if end in (None, start) else f", pp. {start}-{end}"


@app.command()
def serve(
    host: Annotated[str | None, typer.Option(help="Address (default from settings).")] = None,
    port: Annotated[int | None, typer.Option(help="Port (default from settings).")] = None,
    workers: Annotated[int, typer.Option(help="Worker processes.")] = 1,
) -> None:
    """Serve the API and web chat."""
    import uvicorn

    settings = _settings()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    uvicorn.run(
        "api.app:create_app",
        factory=True,
        host=host or settings.server.host,
        port=port or settings.server.port,
        workers=workers,
        access_log=False,  # our own access log leaves out anything that could carry text
    )


@app.command()
def ask(
    question: Annotated[str, typer.Argument(help="The question, in your own words.")],
    k: Annotated[int | None, typer.Option("--k", "-k", min=1, max=50, help="Passages.")] = None,
    doc: Annotated[list[str] | None, typer.Option("--doc", help="Only this document.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Answer QUESTION from the handbooks, with every point cited."""
    from api.schemas import AskResponse
    from index.errors import UnknownDocumentError

    state = _open_state(_settings())
    try:
        answer = state.ask.ask(question, (), k, doc)
    except UnknownDocumentError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(1) from exc
    response = AskResponse.from_answer(answer)
    if as_json:
        typer.echo(response.model_dump_json(indent=2))
        return
    typer.echo(response.answer + "\n")
    for c in response.citations:
        typer.echo(f"[{c.n}] {c.title} › {c.section}{_pages(c.page_start, c.page_end)}")
        typer.echo(f'    "{" ".join(c.quote.split())}"')
    for note in response.notes:
        typer.echo(f"note: {note}")


@app.command(name="eval")
def evaluate(
    questions: Annotated[Path | None, typer.Option(help="Question set (JSON lines).")] = None,
    k: Annotated[int, typer.Option(help="Cut-off for hit@k.")] = 5,
    answers: Annotated[bool, typer.Option(help="Also evaluate answers and refusals.")] = True,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Retrieval (hit@1/3/5, MRR per mode) and answer (grounding, refusal) evaluation."""
    from eval.answers import format_answer_report, run_answer_eval
    from eval.retrieval import default_question_file, format_report, run_retrieval_eval

    state = _open_state(_settings())
    path = questions or default_question_file()
    report: dict[str, Any] = {"retrieval": run_retrieval_eval(state.retriever, path, k=k)}
    if answers:
        report["answers"] = run_answer_eval(state.ask, path)
    if as_json:
        typer.echo(json.dumps(report, indent=2))
        return
    typer.echo(format_report(report["retrieval"]))
    if answers:
        typer.echo(format_answer_report(report["answers"]))


def main() -> None:
    app()


@app.command()
def quiz(
    topic: Annotated[str | None, typer.Option(help="Draw on passages about this.")] = None,
    n: Annotated[int, typer.Option("--n", "-n", help="Items (1 to 50).")] = 10,
    kind: Annotated[
        list[str] | None,
        typer.Option("--kind", help="mcq, true_false, fill_blank or scenario (repeatable)."),
    ] = None,
    doc: Annotated[list[str] | None, typer.Option("--doc", help="Only this handbook.")] = None,
    section: Annotated[
        list[str] | None, typer.Option("--section", help="Only sections naming this heading.")
    ] = None,
    seed: Annotated[int | None, typer.Option(help="Same seed, same quiz.")] = None,
    lang: Annotated[str | None, typer.Option(help="Language of the items, e.g. fr.")] = None,
    title: Annotated[str | None, typer.Option(help="Title of the saved quiz.")] = None,
    fmt: Annotated[
        str, typer.Option("--format", "-f", help="json, gift, moodle_xml, csv or md.")
    ] = "md",
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write here.")] = None,
    open_id: Annotated[
        str | None, typer.Option("--open", help="Export this saved quiz instead of drafting.")
    ] = None,
    list_saved: Annotated[bool, typer.Option("--list", help="List saved quizzes.")] = False,
) -> None:
    """Draft a quiz for trainers from the handbooks (saved, like the web Quiz tab), or export
    or list saved ones."""
    from pydantic import ValidationError

    from api.quiz.cli import draft_and_save, export_text, list_text
    from api.quiz.store import store_for
    from index.errors import UnknownDocumentError

    settings = _settings()
    store = store_for(settings.data_dir)
    if list_saved:
        typer.echo(list_text(store))
        return
    try:
        if open_id is None:
            state = _open_state(settings)
            saved = draft_and_save(state, store, topic, n, kind, doc, section, seed, lang, title)
            typer.echo(f"saved quiz {saved.quiz_id} ({len(saved.items)} items)", err=True)
            for note in saved.notes:
                typer.echo(f"note: {note}", err=True)
            open_id = saved.quiz_id
        text = export_text(store, open_id, fmt)
    except (ValidationError, ValueError, UnknownDocumentError) as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(1) from exc
    if output:
        output.write_text(text, encoding="utf-8")
        typer.echo(f"wrote {output}", err=True)
    else:
        typer.echo(text, nl=False)


if __name__ == "__main__":
    main()
