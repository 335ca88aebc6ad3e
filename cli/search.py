"""`haven search`: the passages that best answer a query."""

from __future__ import annotations

from typing import Annotated

import typer

from api.schemas import Passage, SearchResponse
from cli.common import open_state, pages, settings
from index.errors import UnknownDocumentError


def search(
    query: Annotated[str, typer.Argument(help="The question or keywords.")],
    k: Annotated[int, typer.Option("--k", "-k", min=1, max=50, help="Passages.")] = 5,
    doc: Annotated[list[str] | None, typer.Option("--doc", help="Only this document.")] = None,
    lang: Annotated[
        str | None, typer.Option(help="The query's language (e.g. es, th); default: detected.")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Print the passages that best answer QUERY, with handbook, section and page."""
    state = open_state(settings())
    assert state.ask is not None  # open_state exits when the index is not ready
    try:
        hits, searched_as = state.ask.search(query, k, doc, lang)
    except UnknownDocumentError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(1) from exc
    response = SearchResponse(
        query=query, lang=searched_as, results=[Passage.from_hit(h) for h in hits]
    )
    if as_json:
        typer.echo(response.model_dump_json(indent=2))
        return
    for i, p in enumerate(response.results, 1):
        where = pages(p.page_start, p.page_end)
        typer.echo(f"[{i}] {p.title}\n    {p.section}{where}  (score {p.score:.4f})")
        typer.echo("    " + p.text.replace("\n", "\n    ") + "\n")
