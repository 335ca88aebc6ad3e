"""`haven translate install | list | text`: the offline translation backends."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from cli.common import settings
from translation.argos import ArgosTranslator, argos_installed
from translation.detect import detect_language
from translation.factory import load_translation
from translation.languages import language_code
from translation.translator import TranslationError

translate_app = typer.Typer(
    help="Translation: install Argos packages, list what is installed, translate text."
)


@translate_app.command("install")
def translate_install(
    items: Annotated[
        list[str],
        typer.Argument(help=".argosmodel files; with --online, language codes (es fr th)."),
    ],
    online: Annotated[
        bool,
        typer.Option(
            "--online", help="Download en→X and X→en for each language from Argos's index."
        ),
    ] = False,
) -> None:
    """Install Argos Translate packages into the models directory."""
    config = settings()
    if not argos_installed():
        typer.echo(
            "error: Argos Translate is not installed: pip install 'haven[translate]'", err=True
        )
        raise typer.Exit(1)
    t = config.translation
    argos = ArgosTranslator(config.models_dir, t.argos_beam_size, t.threads, t.argos_index_url)
    try:
        if online:
            pairs = argos.install_online(items)
        else:
            pairs = [argos.install_file(Path(item)) for item in items]
    except TranslationError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(1) from exc
    for source, target in pairs:
        typer.echo(f"installed {source} → {target}")
    typer.echo(f"packages are in {argos.packages_dir}", err=True)


@translate_app.command("list")
def translate_list(
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Installed backends, their language pairs, and which languages reach English and back."""
    config = settings()
    info = load_translation(config).languages()
    if as_json:
        typer.echo(json.dumps(info, indent=2, ensure_ascii=False))
        return
    if not info["backends"]:
        typer.echo("no translation backend is installed (answers stay in English)")
    for backend in info["backends"]:
        pairs = ", ".join(f"{p['source']}→{p['target']}" for p in backend["pairs"]) or "none"
        typer.echo(f"{backend['name']}: {pairs}")
    for row in info["languages"]:
        typer.echo(
            f"  {row['code']} {row['name']}: to English {row['to_english'] or '-'}, "
            f"from English {row['from_english'] or '-'}"
        )
    typer.echo(f"models directory: {config.models_dir}", err=True)


@translate_app.command("text")
def translate_text(
    text: Annotated[str, typer.Argument(help="The text to translate.")],
    to: Annotated[str, typer.Option("--to", help="Target language, e.g. es.")],
    source: Annotated[
        str | None, typer.Option("--from", help="Source language (default: detected).")
    ] = None,
) -> None:
    """Translate TEXT with the installed backends (glossary applied)."""
    service = load_translation(settings())
    src = language_code(source) or detect_language(text).lang
    try:
        typer.echo(service.translate([text], to, src)[0])
    except TranslationError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(1) from exc
