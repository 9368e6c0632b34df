"""Loading the stored OpenVINO copy without PyTorch's model: the same tokens and embeddings
as the full load, and the full load whenever the stored reference is missing, altered or
disagrees (which stores it again)."""

from __future__ import annotations

import sys

import numpy as np
import pandas as pd
import pytest

from tests.conftest import SAMPLE_SOTU
from topicdesk.core.settings import FitSettings
from topicdesk.pipeline import (
    embed,
    encoders,
    int8,
    long_texts,
    model_store,
    openvino_encoder,
    probe_reference,
)

SOURCE = embed.resolve_model(FitSettings())
ODD_TEXTS = [
    "",
    "   ",
    "[CLS] a literal [SEP] in the text",
    "ok",
    "学校の先生たちは新しいカリキュラムについて話し合った。",
    "café naïve Ünïcödé 😀\ttabs\nand new lines",
    "word " * 600,  # cut at the window
]


@pytest.fixture(scope="module")
def model():
    return encoders.ENCODERS.get(FitSettings(precision="float32")).model


@pytest.fixture(scope="module")
def texts() -> list[str]:
    return pd.read_csv(SAMPLE_SOTU)["text"].astype(str).tolist() + ODD_TEXTS


@pytest.fixture(scope="module")
def store(tmp_path_factory, model):
    """A model store of its own holding the converted network, on a CPU taken to have bf16."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("cache")))
        patch.setattr("sys.platform", "linux")
        patch.setattr(embed, "cpu_has_native_bf16", lambda: True)
        openvino_encoder.network(model, SOURCE)
        yield model_store.root()


@pytest.fixture
def reference_key(store, model):
    """The reference's key, with no reference stored when the test begins."""
    key = probe_reference.key(SOURCE, model.max_seq_length, embed.PROBE_TEXTS)
    model_store.remove(key)
    return key


def _full_load(model):
    return embed._faster_variant(model, SOURCE)


def test_the_stored_copy_tokenises_and_embeds_exactly_as_the_full_load(model, texts, reference_key):
    full, name = _full_load(model)
    assert name == "bfloat16 (OpenVINO)" and model_store.is_stored(reference_key)
    fast, fast_name = embed._stored_variant(FitSettings(), SOURCE)
    assert fast_name == name and isinstance(fast, openvino_encoder.OpenVinoEncoder)
    assert fast.max_seq_length == full.max_seq_length == 256
    assert fast.get_embedding_dimension() == full.get_embedding_dimension() == 384
    lengths = embed.token_lengths(fast, texts)
    assert np.array_equal(lengths, embed.token_lengths(full, texts))
    call = {"truncation": True, "max_length": 256, "padding": True, "return_tensors": "np"}
    for batch in (texts[:40], ODD_TEXTS):
        ours, theirs = fast.tokenizer(batch, **call), full.tokenizer(batch, **call)
        for field in ("input_ids", "attention_mask"):
            assert np.array_equal(ours[field], theirs[field])
    long = [text * 6 for text in texts[:30]] + ODD_TEXTS  # windows of long texts
    ours, theirs = (long_texts.split_texts(t, long, 256) for t in (fast.tokenizer, full.tokenizer))
    assert ours.pieces == theirs.pieces and np.array_equal(ours.tokens, theirs.tokens)
    sample = [*texts[:20], *ODD_TEXTS]
    np.testing.assert_array_equal(
        fast.encode(sample, batch_size=16).numpy(), full.encode(sample, batch_size=16).numpy()
    )


def test_the_stored_copy_embeds_from_token_ids_without_importing_pytorch(
    monkeypatch, model, texts, reference_key
):
    _full_load(model)
    monkeypatch.setitem(sys.modules, "torch", None)  # importing it would fail
    fast, name = embed._stored_variant(FitSettings(), SOURCE)
    assert name == "bfloat16 (OpenVINO)"
    sample = [*texts[:60], *ODD_TEXTS[:-1]]
    encoder = encoders.SentenceTransformerEncoder(fast, name, "stored", whole_texts=False)
    vectors = encoder.embed(sample, batch_size=8)  # batches of token ids, shortest first
    one_by_one = fast.encode(sample, batch_size=1, convert_to_tensor=False)
    one_by_one /= np.linalg.norm(one_by_one, axis=1, keepdims=True)
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    assert (vectors * one_by_one).sum(axis=1).min() > 0.9999  # same texts, same order


def test_a_load_with_a_stored_reference_does_not_load_sentence_transformers(
    monkeypatch, model, reference_key
):
    _full_load(model)
    monkeypatch.setitem(sys.modules, "sentence_transformers", None)  # importing it would fail
    fast, name = embed.load_sentence_transformer(FitSettings())
    assert name == "bfloat16 (OpenVINO)" and isinstance(fast, openvino_encoder.OpenVinoEncoder)
    monkeypatch.setattr(int8, "cpu_has_int8_dot", lambda: True)
    # the float32 network stands in for a built int8 copy, as in test_int8
    monkeypatch.setattr(int8, "stored", lambda source: openvino_encoder.stored_network(source))
    assert embed.load_sentence_transformer(FitSettings(precision="int8"))[1] == "int8 (OpenVINO)"
    monkeypatch.setattr(embed, "cpu_has_native_bf16", lambda: False)  # no fast copy qualifies
    with pytest.raises(ImportError):
        embed.load_sentence_transformer(FitSettings())  # so the full load is tried


def test_a_missing_or_altered_reference_means_the_full_load_which_stores_it_again(
    model, reference_key
):
    assert embed._stored_variant(FitSettings(), SOURCE) is None  # none stored
    _full_load(model)
    vectors = model_store.root() / reference_key / probe_reference.REFERENCE
    data = bytearray(vectors.read_bytes())
    data[-1] ^= 0xFF
    vectors.write_bytes(bytes(data))
    assert embed._stored_variant(FitSettings(), SOURCE) is None
    assert not model_store.is_stored(reference_key)  # removed, not trusted
    name = embed.load_sentence_transformer(FitSettings())[1]
    assert name == "bfloat16 (OpenVINO)" and model_store.is_stored(reference_key)
    assert embed._stored_variant(FitSettings(), SOURCE)[1] == name
    # checksums that match contents of the wrong shape: removed as well
    probe_reference.save(model, SOURCE, embed.PROBE_TEXTS, np.ones((3, 384), np.float32))
    assert embed._stored_variant(FitSettings(), SOURCE) is None
    assert not model_store.is_stored(reference_key)


def test_a_stored_copy_that_fails_the_probe_or_is_missing_gives_way_to_the_full_load(
    monkeypatch, model, reference_key
):
    probe = model.encode(list(embed.PROBE_TEXTS), normalize_embeddings=True)
    probe_reference.save(model, SOURCE, embed.PROBE_TEXTS, -probe)  # nothing agrees with it
    assert embed._stored_variant(FitSettings(), SOURCE) is None
    name = embed.load_sentence_transformer(FitSettings())[1]
    assert name == "bfloat16 (OpenVINO)"
    stored = probe_reference.load(SOURCE, model.max_seq_length, embed.PROBE_TEXTS)
    np.testing.assert_allclose(stored.reference, probe, atol=1e-6)  # the full load's own
    monkeypatch.setattr(openvino_encoder, "stored_network", lambda source: None)  # not stored
    assert embed._stored_variant(FitSettings(), SOURCE) is None


def test_a_reference_is_stored_only_where_an_openvino_copy_agreed(
    monkeypatch, model, reference_key
):
    monkeypatch.setattr(embed, "_openvino_copy", lambda *args, **kwargs: None)
    assert _full_load(model)[1] == "bfloat16"  # PyTorch's own bfloat16
    assert not model_store.is_stored(reference_key)
