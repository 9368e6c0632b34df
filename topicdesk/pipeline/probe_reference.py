"""What a new process needs to use the stored OpenVINO copy without PyTorch's model.

Each load checks the fast copy against float32 on a few probe sentences
(:func:`embed._faster_variant`). Computing float32 needed the sentence-transformers model,
and loading that took 4.5-5.5 s of a new process, 3.7 s of it importing
sentence-transformers and transformers; the OpenVINO copy itself compiled from the
kernel cache in 0.1 s. So when a copy has been checked once, the probe sentences'
float32 embeddings are kept in the model store with the model's tokenizer (its
``tokenizers`` definition and settings); a new process compiles the stored network and
probes it against them. The entry's key holds the model's fingerprint, the text window,
the probe sentences and the versions of the libraries that computed it, and its files
are checksummed like every entry: anything missing, altered or unreadable means the
full load, which stores the entry again.
"""

from __future__ import annotations

import io
import json
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from topicdesk.pipeline import fast_tokenizer, model_store
from topicdesk.versions import package_version

REFERENCE, TOKENIZER, SETTINGS = "reference.npy", "tokenizer.json", "tokenizer_settings.json"
FILES = (REFERENCE, TOKENIZER, SETTINGS)
COMPUTED_WITH = ("torch", "transformers", "sentence-transformers", "tokenizers")


@dataclass(frozen=True)
class StoredModel:
    """The parts of a sentence-transformers model the OpenVINO encoder reads (tokenizer,
    text window, vector size), and the probe sentences' float32 embeddings."""

    tokenizer: fast_tokenizer.FastTokenizer
    max_seq_length: int
    reference: np.ndarray

    def get_embedding_dimension(self) -> int:
        return int(self.reference.shape[1])


def key(source: str, max_seq_length: int, texts: Sequence[str]) -> str:
    """The model store's name for the reference of the model in folder ``source``."""
    versions = [package_version(name) for name in COMPUTED_WITH]
    return model_store.entry_key(
        "reference", model_store.model_fingerprint(source), max_seq_length, list(texts), *versions
    )


def save(model, source: str, texts: Sequence[str], reference: np.ndarray) -> None:
    """Keep ``reference`` (float32 embeddings of ``texts`` by ``model``, a sentence-transformers
    model of folder ``source``) and the model's tokenizer; a disk that refuses keeps none."""
    vectors = io.BytesIO()
    np.save(vectors, np.asarray(reference, dtype=np.float32), allow_pickle=False)
    tokenizer = model.tokenizer
    files = {
        REFERENCE: vectors.getvalue(),
        TOKENIZER: tokenizer.backend_tokenizer.to_str().encode(),
        SETTINGS: json.dumps(fast_tokenizer.settings_of(tokenizer)).encode(),
    }
    try:
        model_store.save_files(key(source, model.max_seq_length, texts), files)
    except OSError:  # read-only or full: the next process loads the model in full again
        pass


def load(source: str, max_seq_length: int, texts: Sequence[str]) -> StoredModel | None:
    """The stored tokenizer and reference for these probe ``texts``, or None (an entry that
    does not check out or cannot be read is removed)."""
    name = key(source, max_seq_length, texts)
    files = model_store.load_files(name, FILES)
    if files is None:
        return None
    try:
        reference = np.load(io.BytesIO(files[REFERENCE]), allow_pickle=False)
        if reference.dtype != np.float32 or reference.ndim != 2 or len(reference) != len(texts):
            raise ValueError("not the probe's embeddings")
        settings = json.loads(files[SETTINGS])
        tokenizer = fast_tokenizer.FastTokenizer(files[TOKENIZER].decode(), settings)
    except Exception:  # noqa: BLE001 - whatever the libraries make of a bad entry: load in full
        model_store.remove(name)
        return None
    return StoredModel(tokenizer, max_seq_length, reference)
