"""Where embeddings are computed (``--device``): the choice, and a clear refusal of a GPU
that PyTorch cannot see. This machine has none, so the GPU is played by monkeypatching."""

from __future__ import annotations

from typing import ClassVar

import pytest
import sentence_transformers
import torch

from topicdesk.cli import main
from topicdesk.core.settings import FitSettings
from topicdesk.errors import TopicDeskError
from topicdesk.pipeline import embed, encoders, multilingual_encoder


@pytest.fixture
def gpu(monkeypatch):
    """Whether PyTorch sees a GPU, as the test says."""
    seen = {"gpu": False}
    monkeypatch.setattr(torch.cuda, "is_available", lambda: seen["gpu"])
    return seen


def test_auto_takes_the_gpu_only_where_pytorch_sees_one(gpu):
    assert [embed.device_for(d) for d in ("cpu", "auto")] == ["cpu", "cpu"]
    gpu["gpu"] = True
    assert [embed.device_for(d) for d in ("cpu", "auto", "cuda")] == ["cpu", "cuda", "cuda"]


def test_cuda_without_a_gpu_is_refused_not_quietly_run_on_the_cpu(gpu):
    with pytest.raises(TopicDeskError) as caught:
        embed.device_for("cuda")
    message = str(caught.value)
    assert message.startswith("--device cuda needs a GPU that PyTorch can use, and ")
    assert message.endswith("or use --device cpu.")


def test_the_command_line_says_so_before_reading_the_corpus(gpu, tmp_path, capsys):
    out = tmp_path / "notes.topicdesk"
    code = main(["fit", str(tmp_path / "not-there.csv"), "-o", str(out), "--device", "cuda"])
    assert code == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("error: --device cuda needs a GPU")
    assert not out.exists()


class _Model:
    """What the loader asks of a sentence-transformers model, and where it was put."""

    devices: ClassVar[list[str]] = []

    def __init__(self, source: str, device: str) -> None:
        self.devices.append(device)
        self.max_seq_length = 256


def test_the_model_is_put_on_the_gpu_chosen_and_computes_in_float32(gpu, monkeypatch):
    monkeypatch.setattr(sentence_transformers, "SentenceTransformer", _Model)
    monkeypatch.setattr(_Model, "devices", [])
    monkeypatch.setattr(embed, "_faster_variant", lambda *a, **k: pytest.fail("CPU copies only"))
    monkeypatch.setattr(embed, "_stored_variant", lambda *a: pytest.fail("CPU copies only"))
    gpu["gpu"] = True
    model, precision = embed.load_sentence_transformer(FitSettings(precision="auto"), "auto")
    assert (model.devices, precision) == (["cuda"], "float32")
    loaded = encoders.EncoderCache(device="auto").get(FitSettings(precision="auto"))
    assert (_Model.devices[-1], loaded.precision) == ("cuda", "float32")
    assert loaded.identity == "all-MiniLM-L6-v2 on cuda"  # its chunks are not the CPU's
    gpu["gpu"] = False
    monkeypatch.setattr(embed, "_faster_variant", lambda model, *a, **k: (model, "bfloat16"))
    monkeypatch.setattr(embed, "_stored_variant", lambda *a: None)  # no copy in the store
    assert embed.load_sentence_transformer(FitSettings(precision="auto"), "auto")[1] == "bfloat16"
    assert _Model.devices[-1] == "cpu"


def test_a_packaged_multilingual_model_refuses_the_gpu(gpu):
    name = next(iter(multilingual_encoder.PACKAGED))
    gpu["gpu"] = True
    with pytest.raises(TopicDeskError, match="runs on the CPU only; use --device cpu or auto"):
        encoders.load_encoder(FitSettings(model=name), "cuda")
