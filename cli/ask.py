"""`haven ask`: a cited answer from the handbooks."""

from __future__ import annotations

from typing import Annotated

import typer

from api.schemas import AskResponse
from cli.common import open_state, pages, settings
from index.errors import UnknownDocumentError


def ask(
    question: Annotated[str, typer.Argument(help="The question, in your own words.")],
    k: Annotated[int | None, typer.Option("--k", "-k", min=1, max=50, help="Passages.")] = None,
    doc: Annotated[list[str] | None, typer.Option("--doc", help="Only this document.")] = None,
    lang: Annotated[
        str | None,
        typer.Option("--lang", help="Answer in this language (e.g. es, th); default: detected."),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Answer QUESTION from the handbooks, with every point cited, in the question's language
    when a translation backend covers it."""
    state = open_state(settings())
    assert state.ask is not None  # open_state exits when the index is not ready
    try:
        answer = state.ask.ask(question, (), k, doc, lang=lang)
    except UnknownDocumentError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(1) from exc
    response = AskResponse.from_answer(answer)
    if as_json:
        typer.echo(response.model_dump_json(indent=2))
        return
    typer.echo(response.answer + "\n")
    for c in response.citations:
        typer.echo(f"[{c.n}] {c.title} › {c.section}{pages(c.page_start, c.page_end)}")
        typer.echo(f'    "{" ".join(c.quote.split())}"')
        if c.quote_translation:
            typer.echo(f"    ({' '.join(c.quote_translation.split())})")
    for note in response.notes:
        typer.echo(f"note: {note}")
    if response.answer_lang != "en" or response.lang != "en":
        typer.echo(
            f"language: asked {response.lang} (detected {response.detected_lang}), "
            f"answered in {response.answer_lang}",
            err=True,
        )
