"""The int8 path: chosen only where the CPU multiplies int8 and the probe agrees; the
on-disk model store is reused by a new process and rebuilds what does not check out."""

from __future__ import annotations

import re
import subprocess
import sys
import textwrap
import threading
from types import SimpleNamespace

import numpy as np
import pytest
import torch

from topicdesk.core.settings import FitSettings
from topicdesk.pipeline import embed, encoders, int8, model_store, openvino_encoder, warmup

SOURCE = embed.resolve_model(FitSettings())


@pytest.fixture
def store(monkeypatch, tmp_path):
    """An empty model store (and numba cache folder) in a temporary home."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.setattr("sys.platform", "linux")
    return tmp_path / "topicdesk" / "openvino"


@pytest.fixture(scope="module")
def model():
    return encoders.ENCODERS.get(FitSettings(precision="float32")).model


def _tiny_network(scale: float = 2.0):
    """A small OpenVINO model (x * scale), quick to save, read and compile."""
    import openvino as ov
    import openvino.opset13 as ops

    x = ops.parameter([-1, 4], np.float32, name="x")
    return ov.Model([ops.multiply(x, ops.constant(np.float32(scale)))], [x], "tiny")


class _Wrong:
    """A fast copy whose embeddings point anywhere: the probe must refuse it."""

    def encode(self, texts, **_):
        return torch.nn.functional.normalize(torch.randn(len(texts), 384), dim=1)


def test_int8_is_chosen_where_the_cpu_has_int8_dot_products_and_it_agrees(monkeypatch, model):
    monkeypatch.setattr(int8, "cpu_has_int8_dot", lambda: True)
    # the float32 network stands in for a built int8 copy: it agrees, so it is taken
    monkeypatch.setattr(int8, "stored", lambda source: openvino_encoder.network(model, source))
    fast, name = embed._faster_variant(model, SOURCE, int8_first=True)
    assert name == "int8 (OpenVINO)" and isinstance(fast, openvino_encoder.OpenVinoEncoder)
    # not in "auto": its topics agreed with float32's less than a change of seed does
    monkeypatch.setattr(embed, "cpu_has_native_bf16", lambda: True)
    assert embed._faster_variant(model, SOURCE)[1] == "bfloat16 (OpenVINO)"


def test_int8_is_never_tried_without_int8_dot_products_or_without_a_built_copy(monkeypatch, model):
    tried = []
    monkeypatch.setattr(int8, "stored", lambda source: tried.append(source))
    monkeypatch.setattr(int8, "cpu_has_int8_dot", lambda: False)
    monkeypatch.setattr(embed, "cpu_has_native_bf16", lambda: True)
    fastest = {"int8_first": True}
    assert embed._faster_variant(model, SOURCE, **fastest)[1] == "bfloat16 (OpenVINO)"
    assert tried == []
    monkeypatch.setattr(int8, "cpu_has_int8_dot", lambda: True)  # supported, nothing built
    assert embed._faster_variant(model, SOURCE, **fastest)[1] == "bfloat16 (OpenVINO)"
    assert tried == [SOURCE]
    monkeypatch.setattr(embed, "cpu_has_native_bf16", lambda: False)
    assert embed._faster_variant(model, SOURCE, **fastest) == (model, "float32")


def test_an_int8_copy_that_disagrees_with_float32_gives_way_to_bfloat16(monkeypatch, model):
    real_copy = embed._openvino_copy
    monkeypatch.setattr(int8, "cpu_has_int8_dot", lambda: True)
    monkeypatch.setattr(embed, "cpu_has_native_bf16", lambda: True)
    monkeypatch.setattr(
        embed,
        "_openvino_copy",
        lambda m, source=None, int8=False: _Wrong() if int8 else real_copy(m, source),
    )
    assert embed._faster_variant(model, SOURCE, int8_first=True)[1] == "bfloat16 (OpenVINO)"


def test_without_openvino_pytorch_bfloat16_or_float32_takes_over(monkeypatch, model):
    monkeypatch.setitem(sys.modules, "openvino", None)  # import fails as if not installed
    monkeypatch.setattr(int8, "cpu_has_int8_dot", lambda: True)
    monkeypatch.setattr(embed, "cpu_has_native_bf16", lambda: True)
    assert embed._faster_variant(model, SOURCE)[1] == "bfloat16"
    monkeypatch.setattr(embed, "cpu_has_native_bf16", lambda: False)
    assert embed._faster_variant(model, SOURCE) == (model, "float32")


def test_the_first_and_last_transformer_layers_stay_whole_in_floats(model):
    names = [
        f"__module.bert.encoder.layer.{i}.attention.self.query/aten::linear/MatMul"
        for i in range(6)
    ]
    names.append("__module.bert.encoder.layer.3.output.dense/aten::linear/MatMul")
    patterns = int8.float_patterns(model)
    kept = [name for name in names if any(re.fullmatch(p, name) for p in patterns)]
    assert kept == [names[0], names[5], names[6]]  # and the feed-forward outputs of the others


def test_int8_support_reads_the_cpu_flags(monkeypatch):
    monkeypatch.setattr(int8, "cpu_flags", lambda: {"avx2", "avx512f", "avx512_vnni"})
    assert int8.cpu_has_int8_dot()
    monkeypatch.setattr(int8, "cpu_flags", lambda: {"avx2", "amx_int8"})
    assert int8.cpu_has_int8_dot()
    monkeypatch.setattr(int8, "cpu_flags", lambda: {"avx2", "avx512f", "avx512_bf16"})
    assert not int8.cpu_has_int8_dot()


def test_no_build_is_started_without_nncf_or_without_int8_dot_products(monkeypatch, store):
    settings = FitSettings()
    loaded = SimpleNamespace(
        precision="bfloat16 (OpenVINO)", model=SimpleNamespace(max_seq_length=256)
    )
    monkeypatch.setattr(encoders.ENCODERS, "loaded", lambda s: loaded)
    started = []
    monkeypatch.setattr(
        "multiprocessing.context.SpawnProcess.start", lambda self: started.append(self)
    )
    lock = threading.Lock()
    monkeypatch.setattr(int8, "cpu_has_int8_dot", lambda: True)
    monkeypatch.setitem(sys.modules, "nncf", None)  # NNCF not installed
    assert not int8.nncf_available()
    assert warmup.prepare_int8("sample.csv", lock) is None and started == []
    monkeypatch.delitem(sys.modules, "nncf")
    monkeypatch.setattr(int8, "nncf_available", lambda: True)
    monkeypatch.setattr(int8, "cpu_has_int8_dot", lambda: False)
    assert warmup.prepare_int8("sample.csv", lock) is None and started == []
    monkeypatch.setattr(int8, "cpu_has_int8_dot", lambda: True)
    loaded.precision = "int8 (OpenVINO)"  # built and in use already
    assert warmup.prepare_int8("sample.csv", lock) is None and started == []
    loaded.precision = "bfloat16 (OpenVINO)"
    key = int8.stored_key(embed.resolve_model(settings))
    model_store.save(openvino_encoder._without_telemetry(), _tiny_network(), key)
    assert warmup.prepare_int8("sample.csv", lock) is None and started == []  # stored already
    model_store.root().joinpath(key, model_store.MANIFEST).unlink()
    monkeypatch.setattr(threading.Thread, "start", lambda self: None)
    assert warmup.prepare_int8("sample.csv", lock) is not None and len(started) == 1
    assert started[0]._target is int8.build_default and started[0]._args == ("sample.csv",)


def test_the_store_rebuilds_an_entry_that_was_altered_instead_of_trusting_it(store):
    ov = openvino_encoder._without_telemetry()
    folder = model_store.save(ov, _tiny_network(), "tiny-1")
    assert folder.parent == store and model_store.load(ov, "tiny-1") is not None
    weights = folder / "model.bin"
    weights.write_bytes(bytes([weights.read_bytes()[0] ^ 0xFF]) + weights.read_bytes()[1:])
    assert model_store.load(ov, "tiny-1") is None and not folder.exists()  # removed
    model_store.save(ov, _tiny_network(), "tiny-1")
    (folder / "model.xml").write_text("<net")  # cut short
    assert model_store.load(ov, "tiny-1") is None and not folder.exists()
    model_store.save(ov, _tiny_network(), "tiny-1")
    (folder / model_store.MANIFEST).write_text("{not json")
    assert model_store.load(ov, "tiny-1") is None and not folder.exists()


SECOND_PROCESS = textwrap.dedent(
    """
    from types import SimpleNamespace

    import numpy as np
    import openvino as ov
    import openvino.opset13 as ops

    from topicdesk.pipeline import openvino_encoder

    def convert(model):
        converted.append(model)
        x = ops.parameter([-1, 4], np.float32, name="x")
        return ov.Model([ops.multiply(x, ops.constant(np.float32(2)))], [x], "tiny")

    converted = []
    openvino_encoder.convert = convert
    network = openvino_encoder.network(SimpleNamespace(max_seq_length=256), {source!r})
    print(len(converted), network.get_friendly_name())
    """
)


def test_a_new_process_reads_the_converted_model_instead_of_converting_again(store, tmp_path):
    source = tmp_path / "model"
    source.mkdir()
    (source / "config.json").write_text("{}")
    code = SECOND_PROCESS.format(source=str(source))

    def run() -> list[str]:
        done = subprocess.run(
            [sys.executable, "-c", code], check=False, capture_output=True, text=True
        )
        assert done.returncode == 0, done.stderr[-2000:]
        return done.stdout.split()

    assert run() == ["1", "tiny"]
    assert run() == ["0", "tiny"]  # read from the store
    (source / "config.json").write_text('{"changed": 1}')  # other weights: converted afresh
    assert run() == ["1", "tiny"]


def test_compiled_kernels_are_cached_on_disk(store):
    fake = SimpleNamespace(tokenizer=None, max_seq_length=8, get_embedding_dimension=lambda: 4)
    openvino_encoder.OpenVinoEncoder(fake, 1, _tiny_network(3.0), hint="f32")
    blobs = list(model_store.compiled_dir().iterdir())
    assert blobs
    for blob in blobs:  # a damaged kernel cache is compiled afresh, not trusted
        blob.chmod(0o644)
        blob.write_bytes(b"damaged" * 50)
    again = openvino_encoder.OpenVinoEncoder(fake, 1, _tiny_network(3.0), hint="f32")
    out = again._request.infer({0: np.ones((1, 4), np.float32)})[0]
    np.testing.assert_allclose(out, 3.0)


def test_a_finished_build_is_taken_into_use_between_jobs(monkeypatch, store):
    from multiprocessing.context import SpawnProcess

    loaded = SimpleNamespace(
        precision="bfloat16 (OpenVINO)", model=SimpleNamespace(max_seq_length=256)
    )
    monkeypatch.setattr(encoders.ENCODERS, "loaded", lambda s: loaded)
    monkeypatch.setattr(int8, "cpu_has_int8_dot", lambda: True)
    monkeypatch.setattr(int8, "nncf_available", lambda: True)
    monkeypatch.setattr(SpawnProcess, "start", lambda self: None)
    monkeypatch.setattr(SpawnProcess, "join", lambda self, timeout=None: None)
    lock = threading.Lock()
    reloads = []
    monkeypatch.setattr(
        encoders.ENCODERS, "reload", lambda settings: reloads.append((settings, lock.locked()))
    )
    for exitcode, expected in ((1, []), (0, [(FitSettings(precision="int8"), True)])):
        monkeypatch.setattr(SpawnProcess, "exitcode", property(lambda self, code=exitcode: code))
        waiter = warmup.prepare_int8("sample.csv", lock)
        waiter.join(5)
        assert reloads == expected  # a failed build keeps bfloat16
