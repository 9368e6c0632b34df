"""Embedding precision: bfloat16 only where the CPU has it and it agrees with float32."""

from __future__ import annotations

import os

import numpy as np

from topicdesk.core.settings import FitSettings
from topicdesk.pipeline import embed, encoders, int8, jit_cache

TEXTS = [
    "The budget committee met to discuss hospital funding.",
    "Der Bundestag hat das Gesetz mit großer Mehrheit beschlossen.",
    "The team won the championship after a dramatic penalty shoot-out.",
    "Respondents said the new bus routes made their commute much longer.",
    "学校の先生たちは新しいカリキュラムについて話し合った。",
]


def test_auto_precision_stays_within_cosine_099_of_float32():
    exact = encoders.embed_texts(TEXTS, FitSettings(precision="float32"))
    assert encoders.precision_in_use(FitSettings(precision="float32")) == "float32"
    auto = encoders.embed_texts(TEXTS, FitSettings())
    expected = ("bfloat16 (OpenVINO)",) if embed.cpu_has_native_bf16() else ("float32",)
    expected += ("int8 (OpenVINO)",) if int8.cpu_has_int8_dot() else ()  # once it is built
    assert encoders.precision_in_use(FitSettings()) in expected
    np.testing.assert_allclose(np.linalg.norm(auto, axis=1), 1.0, atol=1e-5)
    assert (exact * auto).sum(axis=1).min() >= embed.MIN_BF16_COSINE


def test_texts_are_batched_by_their_token_count_and_come_back_in_input_order():
    settings = FitSettings(precision="float32", batch_size=2)
    model = encoders.ENCODERS.get(settings).model
    texts = [*TEXTS, "  short  ", "word " * 400]  # the last is cut at the model's maximum
    lengths = embed.token_lengths(model, texts)
    expected = [
        len(model.tokenizer(t.strip(), truncation=True, max_length=256)["input_ids"]) for t in texts
    ]
    assert lengths.tolist() == expected and lengths[-1] == model.max_seq_length == 256
    together = encoders.embed_texts(texts, settings)
    one_by_one = np.vstack([encoders.embed_texts([t], settings) for t in texts])
    np.testing.assert_allclose(together, one_by_one, atol=1e-5)  # no padding effects, same order


def test_texts_are_tokenised_once_and_cut_into_the_batches_the_tokenizer_would_pad():
    model = encoders.ENCODERS.get(FitSettings(precision="float32")).model
    texts = [*TEXTS, "  short  ", "word " * 400, ""]
    tokens = embed.token_ids(model, texts)
    assert tokens.lengths.tolist() == embed.token_lengths(model, texts).tolist()
    rows = np.array([5, 0, 6, 7, 4])
    ids, mask = tokens.padded(rows, model.tokenizer.pad_token_id)
    expected = model.tokenizer(
        [texts[i].strip() for i in rows],
        truncation=True,
        max_length=256,
        padding=True,
        return_tensors="np",
    )
    assert np.array_equal(ids, expected["input_ids"])
    assert np.array_equal(mask, expected["attention_mask"])


def test_openvino_copy_embeds_like_float32_and_pytorch_takes_over_without_it(monkeypatch):
    model = encoders.ENCODERS.get(FitSettings(precision="float32")).model
    compiled = embed._openvino_copy(model)
    assert compiled is not None  # a dependency: it must load and compile the default model
    exact = model.encode(TEXTS, convert_to_tensor=True, normalize_embeddings=True)
    fast = compiled.encode(TEXTS, batch_size=2, convert_to_tensor=True, normalize_embeddings=True)
    assert (exact * fast).sum(dim=1).min().item() > 0.999
    alone = compiled.encode(TEXTS[:1], normalize_embeddings=True)  # no padding
    padded = compiled.encode([TEXTS[0], "word " * 100], normalize_embeddings=True)[:1]
    assert (alone * padded).sum().item() > 0.999  # padding is masked out
    monkeypatch.setattr(embed, "cpu_has_native_bf16", lambda: True)
    monkeypatch.setattr(embed, "_openvino_copy", lambda model: None)  # missing or failing
    assert embed._faster_variant(model)[1] == "bfloat16"


def test_without_native_bf16_or_with_disagreement_float32_is_kept(monkeypatch):
    model = encoders.ENCODERS.get(FitSettings(precision="float32")).model
    monkeypatch.setattr(embed, "cpu_has_native_bf16", lambda: False)
    assert embed._faster_variant(model) == (model, "float32")
    monkeypatch.setattr(embed, "cpu_has_native_bf16", lambda: True)
    monkeypatch.setattr(embed, "MIN_BF16_COSINE", 1.01)  # no copy can agree this well
    assert embed._faster_variant(model) == (model, "float32")


def test_compiled_code_cache_goes_to_a_per_user_folder(monkeypatch, tmp_path):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.setattr("sys.platform", "linux")
    assert jit_cache.cache_dir() == tmp_path / "topicdesk" / "numba"


def test_offline_switch_also_reaches_an_already_imported_hub_library():
    import huggingface_hub.constants as hub

    try:
        embed.set_offline(False)
        assert not hub.is_offline_mode() and "HF_HUB_OFFLINE" not in os.environ
        embed.set_offline(True)
        assert hub.is_offline_mode()
    finally:
        embed.set_offline(True)


def test_encoder_cache_loads_each_encoder_once_and_fits_use_it():
    """Any Encoder plugs into a fit through the cache, without the pipeline knowing its kind."""
    import pandas as pd

    from topicdesk.core.corpus import Corpus
    from topicdesk.core.project import Project
    from topicdesk.pipeline.encoders import Encoder, EncoderCache
    from topicdesk.pipeline.runner import fit_project

    class Letters(Encoder):
        identity, precision = "letters", "float32"

        def embed(self, texts, batch_size, progress=None):
            counts = np.array([[t.count(c) + 0.01 for c in "abcdefghij"] for t in texts], "f4")
            return counts / np.linalg.norm(counts, axis=1, keepdims=True)

    loads = []
    cache = EncoderCache(lambda settings: loads.append(settings) or Letters())
    settings = FitSettings(min_topic_size=3, n_neighbors=5)
    assert cache.loaded(settings) is None
    texts = [("aaab " if i % 2 else "ijjh ") * (1 + i % 5) + str(i) for i in range(40)]
    result = fit_project(Project(Corpus(pd.DataFrame({"text": texts}), "text")), settings, None, cache)
    assert len(loads) == 1 and cache.loaded(settings) is cache.get(settings)
    assert result.provenance["embedding_precision"] == "float32"
    assert result.cache.embeddings.shape == (40, 10)
