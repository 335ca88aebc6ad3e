"""Export a local sentence-transformers model (mean pooling) to ONNX, once, into a cache folder.

Runs in its own process (`python -m index.onnx_export MODEL_DIR OUT.onnx`), called by the ONNX
embedder when its cache holds no export yet: torch is imported only here, so a server that
embeds with ONNX Runtime never loads torch (about 0.3 GB less per worker).

The graph takes input_ids, attention_mask and token_type_ids and returns the mean-pooled
token vectors (not normalised; the embedder normalises), so it gives what sentence-transformers
gives for the same weights.
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path
from typing import Any

OPSET = 17
# Bump when the exported graph changes: the cache key includes it, so old exports are not used.
EXPORT_VERSION = "1"


def export(model_dir: Path, out: Path) -> None:
    # Here, not at the top: this module is the one place the ONNX runtime path touches torch.
    import torch
    from transformers import AutoModel

    class MeanPooled(torch.nn.Module):
        def __init__(self, encoder: Any) -> None:
            super().__init__()
            self.encoder = encoder

        def forward(self, input_ids: Any, attention_mask: Any, token_type_ids: Any) -> Any:
            hidden = self.encoder(
                input_ids=input_ids,
                attention_mask=attention_mask,
                token_type_ids=token_type_ids,
            ).last_hidden_state
            mask = attention_mask.unsqueeze(-1).to(hidden.dtype)
            return (hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)

    encoder = AutoModel.from_pretrained(str(model_dir), attn_implementation="eager")
    model = MeanPooled(encoder).eval()
    ids = torch.ones((2, 8), dtype=torch.long)
    names = ["input_ids", "attention_mask", "token_type_ids"]
    axes = {name: {0: "batch", 1: "tokens"} for name in names}
    axes["embedding"] = {0: "batch"}
    tmp = out.with_name(f".{out.name}.{os.getpid()}")
    with torch.no_grad():
        torch.onnx.export(
            model,
            (ids, torch.ones_like(ids), torch.zeros_like(ids)),
            str(tmp),
            input_names=names,
            output_names=["embedding"],
            dynamic_axes=axes,
            opset_version=OPSET,
            do_constant_folding=True,
            dynamo=False,  # the TorchScript exporter needs no extra packages (onnx, onnxscript)
        )
    os.replace(tmp, out)  # readers never see half a file


def main() -> None:
    parser = argparse.ArgumentParser(description="Export a sentence-transformers model to ONNX.")
    parser.add_argument("model_dir", type=Path)
    parser.add_argument("out", type=Path)
    args = parser.parse_args()
    args.out.parent.mkdir(parents=True, exist_ok=True)
    export(args.model_dir, args.out)


if __name__ == "__main__":
    main()
