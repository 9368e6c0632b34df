"""The embedding model compiled by OpenVINO, for CPUs with native bfloat16 or int8 dot products.

On the development machine it embeds SOTU paragraphs 2.56x as fast as float32 PyTorch
where PyTorch's own bfloat16 reaches 1.90x, and stays within cosine 0.9999 of float32
(benchmarks/embedding_speed.py). It handles the usual sentence-transformers layout, a
transformer followed by mean pooling and optionally normalising; anything else, or any
failure to convert, leaves the caller on PyTorch.
"""

from __future__ import annotations

import sys
import warnings

import numpy as np

from topicdesk.pipeline import embed, model_store

# OpenVINO keeps compiled kernels per input shape, and token-order batches bring a new
# shape almost every batch: the default 5,000 entries grew 8,000 SOTU paragraphs from
# 723 to 2,029 MiB, 16 entries to 1,118 MiB in the same time (63.8 s against 64.1 s)
RUNTIME_CACHE_SHAPES = 16
SUPPORTED_LAYOUTS = (["Transformer", "Pooling"], ["Transformer", "Pooling", "Normalize"])


def _without_telemetry():
    """Import OpenVINO with its usage reporting replaced by its own no-op stub.

    OpenVINO's model converter sends usage events to Google Analytics unless the user
    has opted out in a file in their home folder; TopicDesk sends nothing, so the
    reporting package is made unimportable in this process (the converter then falls back
    to its built-in stub) and the stub is also set on a converter imported earlier.
    """
    sys.modules["openvino_telemetry"] = None  # import fails -> converter uses its stub
    import openvino as ov
    from openvino.tools.ovc import telemetry_stub, telemetry_utils

    telemetry_utils.tm = telemetry_stub
    return ov


def supports(model) -> bool:
    """Whether the model is a transformer with mean pooling, which this class reproduces."""
    layout = [type(module).__name__ for module in model]
    return (
        layout in SUPPORTED_LAYOUTS
        and getattr(model[1], "pooling_mode", None) == "mean"
        and hasattr(model[0], "auto_model")
        and callable(getattr(model, "tokenizer", None))
    )


def convert(model):
    """The model's transformer and mean pooling as an ``openvino.Model`` (float32 weights)."""
    import torch

    ov = _without_telemetry()
    bert = model[0].auto_model.eval()

    class Pooled(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.bert = bert  # a submodule, so tracing sees weights, not constants

        def forward(self, ids, mask):
            hidden = self.bert(
                input_ids=ids, attention_mask=mask, token_type_ids=torch.zeros_like(ids)
            ).last_hidden_state
            weights = mask.unsqueeze(-1).to(hidden.dtype)
            return (hidden * weights).sum(1) / weights.sum(1).clamp(min=1e-9)

    # one padded row, so tracing keeps the attention mask instead of an all-ones shortcut
    mask = torch.tensor([[1] * 8, [1] * 5 + [0] * 3])
    example = (torch.full((2, 8), 1000), mask)
    with torch.no_grad(), warnings.catch_warnings():
        warnings.simplefilter("ignore")  # tracing notes about shapes fixed for BERT
        return ov.convert_model(
            Pooled(), example_input=example, input=[ov.PartialShape([-1, -1])] * 2
        )


def stored_key(source: str, kind: str = "float32", *recipe: object) -> str:
    """The model store's name for the model in folder ``source`` in OpenVINO form, made as
    ``kind`` with ``recipe``. Not its text window: the converted model takes any length."""
    ov = _without_telemetry()
    return model_store.entry_key(
        kind, model_store.model_fingerprint(source), ov.__version__, *recipe
    )


def network(model, source: str | None = None):
    """The converted model, read from the model store when it holds it, else converted
    (and stored, when ``source`` names the model folder, so the next process reads it)."""
    ov = _without_telemetry()
    if source is None:
        return convert(model)
    converted = stored_network(source)
    if converted is None:
        converted = convert(model)
        try:
            model_store.save(ov, converted, stored_key(source))
        except OSError:  # a read-only or full disk: convert again next time
            pass
    return converted


def stored_network(source: str):
    """The converted model of folder ``source`` if the model store holds it, else None."""
    return model_store.load(_without_telemetry(), stored_key(source))


class OpenVinoEncoder:
    """Compiled copy of a sentence-transformers model with the parts of its interface that
    ``SentenceTransformerEncoder.embed`` and the precision probe use.

    ``model`` is the sentence-transformers model or, in a process that did not load it, a
    :class:`probe_reference.StoredModel` (its tokenizer, text window and vector size).
    ``converted`` is an ``openvino.Model`` of it (float32, or int8 from :mod:`int8`);
    without one the model is converted here. Layers left in floating point run in
    bfloat16 where the CPU has it natively (``hint``).
    """

    def __init__(self, model, threads: int, converted=None, hint: str = "bf16") -> None:
        ov = _without_telemetry()
        if converted is None:
            converted = convert(model)
        config = {
            "INFERENCE_PRECISION_HINT": hint,
            "INFERENCE_NUM_THREADS": threads,
            "CPU_RUNTIME_CACHE_CAPACITY": RUNTIME_CACHE_SHAPES,
        }
        core = ov.Core()
        try:  # compiled kernels kept on disk: a new process loads instead of compiling
            model_store.compiled_dir().mkdir(parents=True, exist_ok=True)
            core.set_property({"CACHE_DIR": str(model_store.compiled_dir())})
        except OSError:
            pass
        self._request = core.compile_model(converted, "CPU", config).create_infer_request()
        self.tokenizer = model.tokenizer
        self.max_seq_length = model.max_seq_length
        self._dimension = model.get_embedding_dimension()

    def get_embedding_dimension(self) -> int:
        return self._dimension

    @property
    def pad_id(self) -> int:
        """The token id that fills a batch's shorter rows (masked out, so any id would do)."""
        return int(getattr(self.tokenizer, "pad_token_id", None) or 0)

    def embed_ids(self, ids: np.ndarray, mask: np.ndarray) -> np.ndarray:
        """Mean-pooled vectors (not normalised) of one batch of token ids and their mask."""
        result = self._request.infer({0: ids, 1: mask})
        return np.array(result[0], dtype=np.float32)  # a copy: the request reuses its output

    def encode(
        self,
        texts: list[str],
        batch_size: int = 32,
        convert_to_tensor: bool = True,
        normalize_embeddings: bool = False,
        **_: object,
    ):
        """Embeddings of ``texts`` in their order, as sentence-transformers gives them: a
        float32 torch tensor, or with ``convert_to_tensor=False`` a numpy array."""
        out = np.empty((len(texts), self._dimension), dtype=np.float32)
        for start in range(0, len(texts), batch_size):
            tokens = self.tokenizer(
                [t.strip() for t in texts[start : start + batch_size]],
                truncation=True,
                max_length=self.max_seq_length,
                padding=True,
                return_tensors="np",
            )
            out[start : start + batch_size] = self.embed_ids(
                tokens["input_ids"], tokens["attention_mask"]
            )
        if normalize_embeddings:
            out = embed.unit_rows(out)
        if not convert_to_tensor:
            return out
        import torch

        return torch.from_numpy(out)
