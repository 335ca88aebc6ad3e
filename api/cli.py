"""The `haven` command line: ingest, search, serve, eval."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from api.access.cli import keys_app
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
    from api.documents.catalog import index_paths
    from api.documents.folder import UploadFolder
    from api.state import embedder_spec, index_builder
    from index.embedder import make_embedder

    settings = _settings()
    # Uploaded documents are always part of the build: one left out would be dropped.
    targets = index_paths(settings, paths)
    missing = [str(p) for p in targets if not p.exists()]
    if missing:
        typer.echo(f"error: not found: {', '.join(missing)}", err=True)
        raise typer.Exit(1)
    builder = index_builder(
        settings,
        make_embedder(embedder_spec(settings)),
        progress=None if quiet else _TqdmProgress,  # type: ignore[arg-type]
    )
    with UploadFolder(settings.uploads_dir).lock():  # not while an upload is being indexed
        report = builder.build(targets)
    for line in report.skipped:
        typer.echo(f"skipped: {line}", err=True)
    for doc in report.kept_previous:
        typer.echo(f"kept the previously indexed version of {doc}", err=True)
    _echo_build(report)
    if settings.enrichment.on_ingest and settings.generator.base_url:
        written = _enrich(settings, None, None)
        if written:  # the new questions are searched only once indexed
            with UploadFolder(settings.uploads_dir).lock():
                _echo_build(index_builder(settings, builder.embedder).build(targets))
    if report.skipped:
        raise typer.Exit(EXIT_SKIPPED)


def _echo_build(report: Any) -> None:
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


def _enrich(settings: Settings, doc_ids: list[str] | None, limit: int | None) -> int:
    """Questions for indexed passages that have none, through the configured generator;
    returns the passages enriched."""
    from api.answer.factory import make_generator
    from api.answer.generator import GeneratorError
    from api.answer.prompts import load_prompt
    from api.state import question_bank
    from enrich.runner import enrich_missing
    from enrich.writer import EnrichConfig, QuestionWriter
    from index.layout import IndexLayout
    from index.sqlite_store import ChunkStore

    generator = make_generator(settings)
    build = IndexLayout(settings.index_dir).current()
    if generator is None or build is None:
        return 0
    e = settings.enrichment
    counts = {
        lang: e.english_per_passage if lang == "en" else e.other_per_passage for lang in e.languages
    }
    writer = QuestionWriter(
        generator, load_prompt("enrich", settings.prompts_dir), EnrichConfig(counts)
    )
    store = ChunkStore(build.database)
    try:
        report = enrich_missing(
            store, question_bank(settings), writer, settings.data_dir / "enrichment", doc_ids, limit
        )
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


def _open_state(settings: Settings) -> Any:
    from api.state import AppState

    state = AppState.load(settings)
    if state.retriever is None:
        typer.echo(f"error: {state.problem}", err=True)
        raise typer.Exit(EXIT_NOT_READY)
    return state


@app.command()
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
    from api.documents.catalog import index_paths
    from api.documents.folder import UploadFolder
    from api.state import embedder_spec, index_builder
    from index.embedder import make_embedder
    from index.layout import IndexLayout

    settings = _settings()
    if not settings.generator.base_url:
        typer.echo(
            "error: no language model is configured; set HAVEN_GENERATOR__BASE_URL (and "
            "__MODEL) to an OpenAI-compatible endpoint (docs/enrichment.md)",
            err=True,
        )
        raise typer.Exit(1)
    if IndexLayout(settings.index_dir).current() is None:
        typer.echo("error: no index yet; run `haven ingest` first", err=True)
        raise typer.Exit(EXIT_NOT_READY)
    written = _enrich(settings, doc, limit)
    if written and reindex:
        builder = index_builder(settings, make_embedder(embedder_spec(settings)))
        with UploadFolder(settings.uploads_dir).lock():
            _echo_build(builder.build(index_paths(settings, None)))


@app.command()
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
    from api.schemas import Passage, SearchResponse
    from index.errors import UnknownDocumentError

    state = _open_state(_settings())
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
    workers: Annotated[
        int | None,
        typer.Option(min=1, help="Worker processes (default from settings, server.workers)."),
    ] = None,
) -> None:
    """Serve the API and web chat."""
    import uvicorn

    from api.logs import configure_logging

    settings = _settings()
    configure_logging(settings)
    uvicorn.run(
        "api.app:create_app",
        factory=True,
        host=host or settings.server.host,
        port=port or settings.server.port,
        workers=workers or settings.server.workers,
        access_log=False,  # our own access log leaves out anything that could carry text
        log_config=None,  # uvicorn's own lines go through the same handler and format
    )


@app.command()
def doctor(
    deep: Annotated[
        bool, typer.Option("--deep", help="Also load the embedding model and the index.")
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Check the installation: packages, models, index, corpus, translation, disk. Exit code 1
    when something fails (warnings allowed)."""
    from api.doctor import exit_code, render_json, render_text, run_checks

    checks = run_checks(_settings(), deep=deep)
    typer.echo(render_json(checks) if as_json else render_text(checks))
    raise typer.Exit(exit_code(checks))


@app.command()
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
    from api.schemas import AskResponse
    from index.errors import UnknownDocumentError

    state = _open_state(_settings())
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
        typer.echo(f"[{c.n}] {c.title} › {c.section}{_pages(c.page_start, c.page_end)}")
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


@app.command(name="eval")
def evaluate(
    questions: Annotated[Path | None, typer.Option(help="Question set (JSON lines).")] = None,
    k: Annotated[int, typer.Option(help="Cut-off for hit@k.")] = 5,
    answers: Annotated[bool, typer.Option(help="Also evaluate answers and refusals.")] = True,
    embedder: Annotated[
        list[str] | None,
        typer.Option(
            "--embedder",
            help="For a multilingual set: compare these embedding backends (repeatable: "
            "sentence-transformers, e5). Others than the configured one are indexed once "
            "into <data_dir>/eval-<backend>.",
        ),
    ] = None,
    ablation: Annotated[
        bool, typer.Option(help="For a multilingual set: measure each ingredient's gain.")
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Retrieval (hit@1/3/5, MRR per mode) and answer (grounding, refusal) evaluation; for a
    set with other languages, hit@5 and MRR per language for each embedder."""
    from eval.answers import format_answer_report, run_answer_eval
    from eval.multilingual import (
        VARIANTS,
        format_multilingual,
        run_multilingual_eval,
        with_sources,
    )
    from eval.questions import load_questions
    from eval.retrieval import default_question_file, format_report, run_retrieval_eval
    from index.embedder import resolve_backend

    settings = _settings()
    state = _open_state(settings)
    path = questions or default_question_file()
    translate = _eval_translate(state.translator)
    report: dict[str, Any] = {
        "retrieval": run_retrieval_eval(state.retriever, path, k=k, translate=translate)
    }
    loaded = load_questions(path)
    if any(q.lang != "en" for q in loaded):
        names = dict.fromkeys(embedder or [resolve_backend(settings.embedding.backend)])
        retrievers = [_eval_retriever(settings, state, name) for name in names]
        variants = tuple(VARIANTS) if ablation else ("all",)
        report["multilingual"] = run_multilingual_eval(
            {r.embedder.name: r for r in retrievers if r is not None},
            with_sources(loaded),
            k,
            translate,
            variants,
        )
    if answers:
        report["answers"] = run_answer_eval(state.ask, path)
    if as_json:
        typer.echo(json.dumps(report, indent=2))
        return
    typer.echo(format_report(report["retrieval"]))
    if "multilingual" in report:
        typer.echo(format_multilingual(report["multilingual"]))
    if answers:
        typer.echo(format_answer_report(report["answers"]))


def _eval_translate(translator: Any) -> Any:
    """(question, lang) → its English translation, or None where no backend covers lang."""
    from api.translation.translator import TranslationError

    def translate(question: str, lang: str) -> str | None:
        if translator is None or not translator.can_translate(lang, "en"):
            return None
        try:
            return str(translator.translate([question], "en", lang)[0])
        except TranslationError:
            return None

    return translate


def _eval_retriever(settings: Settings, state: Any, backend: str) -> Any:
    """The configured index, or one built (once, then kept current) for another backend."""
    from index.embedder import resolve_backend

    if backend == resolve_backend(settings.embedding.backend):
        return state.retriever
    from api.state import embedder_spec, index_builder, load_retriever
    from index.embedder import make_embedder
    from index.errors import EmbedderUnavailableError

    embedding = settings.embedding.model_copy(update={"backend": backend, "model": None})
    other = settings.model_copy(
        update={"embedding": embedding, "data_dir": settings.data_dir / f"eval-{backend}"}
    )
    try:
        model = make_embedder(embedder_spec(other))
    except EmbedderUnavailableError as exc:
        typer.echo(f"note: skipping the {backend} embedder: {exc}", err=True)
        return None
    typer.echo(f"checking the {backend} evaluation index in {other.index_dir} ...", err=True)
    index_builder(other, model).build([other.corpus_dir])
    return load_retriever(other, model)


translate_app = typer.Typer(
    help="Translation: install Argos packages, list what is installed, translate text."
)
app.add_typer(translate_app, name="translate")
app.add_typer(keys_app, name="keys")


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
    from api.translation.argos import ArgosTranslator, argos_installed
    from api.translation.translator import TranslationError

    settings = _settings()
    if not argos_installed():
        typer.echo(
            "error: Argos Translate is not installed: pip install 'haven[translate]'", err=True
        )
        raise typer.Exit(1)
    t = settings.translation
    argos = ArgosTranslator(settings.models_dir, t.argos_beam_size, t.threads, t.argos_index_url)
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
    from api.translation.factory import load_translation

    settings = _settings()
    info = load_translation(settings).languages()
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
    typer.echo(f"models directory: {settings.models_dir}", err=True)


@translate_app.command("text")
def translate_text(
    text: Annotated[str, typer.Argument(help="The text to translate.")],
    to: Annotated[str, typer.Option("--to", help="Target language, e.g. es.")],
    source: Annotated[
        str | None, typer.Option("--from", help="Source language (default: detected).")
    ] = None,
) -> None:
    """Translate TEXT with the installed backends (glossary applied)."""
    from api.translation.detect import detect_language
    from api.translation.factory import load_translation
    from api.translation.languages import normalize
    from api.translation.translator import TranslationError

    service = load_translation(_settings())
    src = normalize(source) or detect_language(text).lang
    try:
        typer.echo(service.translate([text], to, src)[0])
    except TranslationError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(1) from exc


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
