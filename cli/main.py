"""The `haven` command line: one module per command, all registered here."""

from __future__ import annotations

import typer

from cli.ask import ask
from cli.common import EXIT_NOT_READY, EXIT_SKIPPED
from cli.doctor import doctor
from cli.enrich import enrich
from cli.evaluate import evaluate
from cli.ingest import ingest
from cli.keys import keys_app
from cli.quiz import quiz
from cli.search import search
from cli.serve import serve
from cli.translate import translate_app

__all__ = ["EXIT_NOT_READY", "EXIT_SKIPPED", "app", "main"]

app = typer.Typer(help="Haven: cited guidance from anti-trafficking handbooks, offline.")
app.command()(ingest)
app.command()(enrich)
app.command()(search)
app.command()(serve)
app.command()(doctor)
app.command()(ask)
app.command(name="eval")(evaluate)
app.add_typer(translate_app, name="translate")
app.add_typer(keys_app, name="keys")
app.command()(quiz)


def main() -> None:
    app()


if __name__ == "__main__":
    main()
