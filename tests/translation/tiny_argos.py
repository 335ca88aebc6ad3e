"""Build a tiny but real `.argosmodel`: a SentencePiece vocabulary trained here and a
one-layer CTranslate2 Transformer with seeded random weights. Its translations are nonsense;
everything around them (install, load, tokenise, decode, pivot) is the real code path."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import numpy as np

_TEXT = """Victims of trafficking in persons must be identified and referred to support services.
A child victim should be interviewed by a trained person in a child-friendly room.
The National Referral Mechanism coordinates the work of state actors and civil society.
The non-punishment principle protects victims from prosecution for forced crimes.
Las víctimas de trata de personas deben ser identificadas y derivadas a servicios de apoyo.
Un niño víctima debe ser entrevistado por una persona capacitada.
Les victimes de la traite des êtres humains doivent être identifiées et orientées.
Korban perdagangan orang harus diidentifikasi dan dirujuk ke layanan pendukung.
Nạn nhân mua bán người cần được xác định và chuyển tuyến.
Жертвы торговли людьми должны быть выявлены и направлены в службы поддержки.
ผู้เสียหายจากการค้ามนุษย์ต้องได้รับการคัดแยกและส่งต่อ
"""


def _sentencepiece(path: Path) -> list[str]:
    import sentencepiece as spm

    model = io.BytesIO()
    lines = [line for line in _TEXT.splitlines() if line] * 20
    spm.SentencePieceTrainer.train(
        sentence_iterator=iter(lines),
        model_writer=model,
        vocab_size=200,
        model_type="unigram",
        character_coverage=1.0,
        hard_vocab_limit=False,
        minloglevel=2,
    )
    path.write_bytes(model.getvalue())
    processor = spm.SentencePieceProcessor(model_file=str(path))
    return [processor.id_to_piece(i) for i in range(processor.get_piece_size())]


def _ctranslate2_model(output: Path, vocab: list[str], seed: int) -> None:
    from ctranslate2.converters.converter import Converter
    from ctranslate2.converters.opennmt_py import _get_model_spec_seq2seq

    rng = np.random.default_rng(seed)
    d, ff, n = 16, 32, len(vocab)

    def w(*shape: int) -> np.ndarray:
        return (rng.standard_normal(shape) * 0.3).astype(np.float32)

    variables: dict[str, np.ndarray] = {}

    def linear(scope: str, rows: int, cols: int) -> None:
        variables[f"{scope}.weight"] = w(rows, cols)
        variables[f"{scope}.bias"] = w(rows)

    def norm(scope: str) -> None:
        variables[f"{scope}.weight"] = np.ones(d, np.float32)
        variables[f"{scope}.bias"] = np.zeros(d, np.float32)

    def attention(scope: str) -> None:
        for part in ("linear_query", "linear_keys", "linear_values", "final_linear"):
            linear(f"{scope}.{part}", d, d)

    def ffn(scope: str) -> None:
        norm(f"{scope}.layer_norm")
        linear(f"{scope}.w_1", ff, d)
        linear(f"{scope}.w_2", d, ff)

    positions = np.arange(512)[:, None] / np.power(10000, np.arange(0, d, 2) / d)[None, :]
    pe = np.zeros((1, 512, d), np.float32)
    pe[0, :, 0::2], pe[0, :, 1::2] = np.sin(positions), np.cos(positions)
    for side in ("encoder", "decoder"):
        variables[f"{side}.embeddings.make_embedding.emb_luts.0.weight"] = w(n, d)
        variables[f"{side}.embeddings.make_embedding.pe.pe"] = pe
        norm(f"{side}.layer_norm")
    attention("encoder.transformer.0.self_attn")
    norm("encoder.transformer.0.layer_norm")
    ffn("encoder.transformer.0.feed_forward")
    layer = "decoder.transformer_layers.0"
    attention(f"{layer}.self_attn")
    attention(f"{layer}.context_attn")
    norm(f"{layer}.layer_norm_1")
    norm(f"{layer}.layer_norm_2")
    ffn(f"{layer}.feed_forward")
    linear("generator", n, d)
    # Never end early: every translation runs to the length bound, so it is never empty.
    variables["generator.bias"][vocab.index("</s>")] = -20.0

    class Opt:
        enc_layers = dec_layers = 1
        heads = 2
        encoder_type = decoder_type = "transformer"
        position_encoding = True

    class Tiny(Converter):
        def _load(self):  # type: ignore[no-untyped-def]
            return _get_model_spec_seq2seq(Opt(), variables, [vocab], [vocab], 1)

    Tiny().convert(str(output), force=True)


def build_argosmodel(folder: Path, source: str, target: str, seed: int = 0) -> Path:
    """Write `<folder>/translate-<source>_<target>.argosmodel` and return its path."""
    work = folder / f"build-{source}_{target}"
    package = work / f"translate-{source}_{target}-1_0"
    package.mkdir(parents=True, exist_ok=True)
    vocab = _sentencepiece(package / "sentencepiece.model")
    _ctranslate2_model(package / "model", vocab, seed)
    meta = {
        "package_version": "1.0",
        "argos_version": "1.9",
        "from_code": source,
        "from_name": source,
        "to_code": target,
        "to_name": target,
        "type": "translate",
    }
    (package / "metadata.json").write_text(json.dumps(meta), encoding="utf-8")
    out = folder / f"translate-{source}_{target}.argosmodel"
    with zipfile.ZipFile(out, "w") as archive:
        for file in sorted(package.rglob("*")):
            archive.write(file, file.relative_to(work))
    return out
