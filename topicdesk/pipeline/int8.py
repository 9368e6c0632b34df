"""An int8 copy of the embedding model, for CPUs with int8 dot-product instructions.

NNCF quantises the OpenVINO model after training: a calibration set of texts sets the
activation ranges, and its accuracy control puts layers back into floating point until
the embeddings of held-out texts stay within ``MAX_COSINE_DROP`` of float32 on average
(PyTorch's dynamic int8 moved embeddings down to cosine 0.86). Building takes a minute or
more, so it happens once per computer in a low-priority process started by the fitting
process's warm-up (:func:`topicdesk.pipeline.warmup.prepare_int8`), never during a fit;
the result is kept in the model store and used only after the load-time probe in
:mod:`embed` agrees with float32.
"""

from __future__ import annotations

import contextlib
import logging
import os
import platform

import numpy as np

from topicdesk.pipeline import model_store, openvino_encoder

INT8_CPU_FLAGS = ("avx512_vnni", "avx_vnni", "amx_int8")
CALIBRATION_TEXTS = 300
VALIDATION_TEXTS = 150
RANKING_TEXTS = 50  # held-out texts that rank layers, when some must go back to floats
SHORT_TEXTS = 30  # held-out one-word texts: short answers suffer most from int8
# The feed-forward output layers of BERT-like models read activations with a few huge
# outlier channels; in int8 they cost one-word texts up to cosine 0.03 (0.972 for "ok").
# Kept in bfloat16, the default model's probe stays at 0.994 or more, for 1.32x bfloat16's
# speed instead of 1.53x (600 SOTU paragraphs on the development machine). The attention
# output layers stay in bfloat16 too: with them in int8 the default fit's topics agreed
# with float32's at NMI 0.866 on 2,500 SOTU paragraphs (seeds 42-44), under the 0.887 a
# change of seed gives; with them in bfloat16 at 0.888, for about the same speed.
# Part of the model store's key, so a change here builds the copy again.
FLOAT_LAYERS = (r".*\.layer\.\d+\.output\.dense/.*", r".*\.attention\.output\.dense/.*")
# The attention scores (query times key) stay in floats too, and the first and last
# transformer layers whole: the default fit's topics on 2,225 BBC articles then agree
# with float32's at NMI 0.933 over seeds 42-44 (bfloat16 0.925, the attention outputs
# alone 0.918 at seed 42; a change of seed 0.939), on 2,500 SOTU paragraphs at 0.886
# (bfloat16 0.897, a change of seed 0.887), at 1.12x bfloat16's speed (raw inference of
# 3,000 SOTU paragraphs). Over eight seeds on BBC it stays under a change of seed, -0.015
# [-0.027, -0.003] (docs/benchmarks.md), so it is a choice, not the default.
FLOAT_TYPES = ("ScaledDotProductAttention",)
WHOLE_LAYERS = ("first", "last")
# mean cosine to float32 on held-out texts may fall to 0.995: the default model's int8
# copy keeps 0.9987 there (0.9989 on 800 other SOTU paragraphs), so accuracy control only
# verifies it; a model that quantises worse gets layers put back into floats until it holds
MAX_COSINE_DROP = 0.005
BATCH = 16


def cpu_flags() -> set[str]:
    """The processor's feature flags (empty where /proc/cpuinfo does not exist)."""
    if platform.system() != "Linux":
        return set()
    try:
        with open("/proc/cpuinfo", encoding="ascii", errors="replace") as info:
            for line in info:
                if line.startswith("flags"):
                    return set(line.split(":", 1)[-1].split())
    except OSError:
        pass
    return set()


def cpu_has_int8_dot() -> bool:
    """Whether the processor multiplies int8 in hardware (elsewhere int8 is no faster)."""
    return bool(cpu_flags() & set(INT8_CPU_FLAGS))


def _nncf():
    """NNCF, imported after OpenVINO's usage reporting is blocked: NNCF reports through the
    same package and falls back to its no-op stub when it cannot import it."""
    openvino_encoder._without_telemetry()
    import nncf

    return nncf


def nncf_available() -> bool:
    """Whether the quantisation library is installed (only building needs it)."""
    try:
        _nncf()
    except ImportError:
        return False
    return True


def stored_key(source: str) -> str:
    """The model store's name for the int8 copy of the model in folder ``source``."""
    recipe = (
        CALIBRATION_TEXTS,
        VALIDATION_TEXTS,
        SHORT_TEXTS,
        MAX_COSINE_DROP,
        FLOAT_LAYERS,
        FLOAT_TYPES,
        WHOLE_LAYERS,
    )
    return openvino_encoder.stored_key(source, "int8", *recipe)


def stored(source: str):
    """The int8 ``openvino.Model`` built earlier on this computer, or None."""
    return model_store.load(openvino_encoder._without_telemetry(), stored_key(source))


def _inputs(tokenizer, texts: list[str], limit: int) -> dict[int, np.ndarray]:
    tokens = tokenizer(
        [t.strip() for t in texts],
        truncation=True,
        max_length=limit,
        padding=True,
        return_tensors="np",
    )
    return {0: tokens["input_ids"], 1: tokens["attention_mask"]}


def float_patterns(model) -> list[str]:
    """Names of the layers left in floating point: ``FLOAT_LAYERS`` and the model's first and
    last transformer layers whole."""
    depth = model[0].auto_model.config.num_hidden_layers
    whole = {"first": 0, "last": depth - 1}
    return [*FLOAT_LAYERS, *(rf".*\.layer\.{whole[name]}\..*" for name in WHOLE_LAYERS)]


def quantise(model, converted, texts: list[str]):
    """``converted`` (the float32 OpenVINO model) in int8, calibrated on part of ``texts``
    and checked against float32 on the rest."""
    nncf = _nncf()
    from nncf.quantization.advanced_parameters import AdvancedAccuracyRestorerParameters

    ov = openvino_encoder._without_telemetry()
    order = np.random.default_rng(0).permutation(len(texts))
    calibration = sorted((texts[i] for i in order[:CALIBRATION_TEXTS]), key=len)
    held_out = [texts[i] for i in order[CALIBRATION_TEXTS : CALIBRATION_TEXTS + VALIDATION_TEXTS]]
    held_out += [text.split()[0] for text in held_out[:SHORT_TEXTS] if text.split()]
    limit = model.max_seq_length
    batches = [
        _inputs(model.tokenizer, calibration[start : start + BATCH], limit)
        for start in range(0, len(calibration), BATCH)
    ]
    exact = ov.Core().compile_model(converted, "CPU", {"INFERENCE_PRECISION_HINT": "f32"})
    items = []
    for text in held_out:
        inputs = _inputs(model.tokenizer, [text], limit)
        reference = exact(inputs)[0][0]
        items.append((inputs, reference / np.linalg.norm(reference)))

    def agreement(compiled, data) -> tuple[float, list[float]]:
        """Mean cosine to float32 and each text's, for NNCF's ranking of layers."""
        cosines = []
        for inputs, reference in data:
            vector = compiled(inputs)[0][0]
            cosines.append(float(vector @ reference / np.linalg.norm(vector)))
        return float(np.mean(cosines)), cosines

    return nncf.quantize_with_accuracy_control(
        converted,
        nncf.Dataset(batches),
        nncf.Dataset(items),
        agreement,
        max_drop=MAX_COSINE_DROP,
        drop_type=nncf.DropType.ABSOLUTE,
        model_type=nncf.ModelType.TRANSFORMER,
        subset_size=len(calibration),
        ignored_scope=nncf.IgnoredScope(
            patterns=float_patterns(model), types=list(FLOAT_TYPES), validate=False
        ),
        advanced_accuracy_restorer_parameters=AdvancedAccuracyRestorerParameters(
            ranking_subset_size=RANKING_TEXTS
        ),
    )


def build(model, source: str, texts: list[str]) -> None:
    """Quantise the model in folder ``source`` and keep the result in the model store."""
    ov = openvino_encoder._without_telemetry()
    quantised = quantise(model, openvino_encoder.network(model, source), texts)
    model_store.save(ov, quantised, stored_key(source))


def build_default(calibration_csv: str) -> None:
    """Build the built-in model's int8 copy at low priority, calibrated on the ``text``
    column of a CSV file (the sample corpus); the target of the builder process."""
    import pandas as pd

    from topicdesk.core.settings import FitSettings
    from topicdesk.pipeline import embed

    try:
        os.nice(19)
    except (AttributeError, OSError):  # not on this platform: the fit still comes first by order
        pass
    logging.getLogger("nncf").setLevel(logging.ERROR)  # the researcher's terminal stays quiet
    settings = FitSettings(precision="float32")
    model = embed.load_sentence_transformer(settings)[0]
    texts = pd.read_csv(calibration_csv, usecols=["text"])["text"].astype(str).tolist()
    with open(os.devnull, "w") as quiet, contextlib.redirect_stdout(quiet):  # progress bars
        build(model, embed.resolve_model(settings), texts)
