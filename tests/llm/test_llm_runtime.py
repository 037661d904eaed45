"""LocalRuntime with the real bundled SmolLM2: generation, streaming, stops, cancel, prefix cache."""

from __future__ import annotations

import threading
import time

import pytest

from engine.llm.budget import PromptParts
from engine.llm.runtime import GenerationParams, LocalRuntime, default_threads

pytestmark = pytest.mark.model
GREEDY = GenerationParams(max_tokens=40, temperature=0.0, seed=1)


def test_generates_a_chat_reply_within_the_budget(runtime):
    """Behaviour, not words (greedy output of a 135M model differs across CPUs and builds): the chat template is
    applied and consumed (no role markers leak into the reply), the reply is text, and the budget holds."""
    done = runtime.complete(PromptParts("What is the capital of France?",
                                        system="You are a helpful assistant."), GREEDY)
    assert done.text.strip() and not any(m in done.text for m in ("<|im_start|>", "<|im_end|>"))
    assert done.finish_reason in ("stop", "length")
    assert done.tokens_in > 10 and 0 < done.tokens_out <= GREEDY.max_tokens


def test_seed_makes_sampling_reproducible(runtime):
    params = GenerationParams(max_tokens=20, temperature=0.9, seed=42)
    parts = PromptParts("Invent a name for a boat.")
    texts = []
    for _ in range(2):  # same cache state each time: a cached prefix changes float rounding
        runtime.complete(PromptParts("Unrelated."), GenerationParams(max_tokens=1))
        texts.append(runtime.complete(parts, params).text)
    assert texts[0] == texts[1] and texts[0]


def test_streaming_pieces_concatenate_to_text_and_arrive_before_the_end(runtime):
    pieces: list[tuple[float, str]] = []
    done = runtime.complete(PromptParts("Count from one to ten in words."),
                            GenerationParams(max_tokens=30, temperature=0.0),
                            on_text=lambda t: pieces.append((time.perf_counter(), t)))
    end = time.perf_counter()
    assert "".join(t for _, t in pieces) == done.text
    assert len(pieces) > 5
    assert end - pieces[0][0] > 0.05  # first piece long before the end: really streamed


def test_max_tokens_and_stop_sequences(runtime):
    done = runtime.complete(PromptParts("Count from one to ten in words."),
                            GenerationParams(max_tokens=5, temperature=0.0))
    assert done.tokens_out == 5 and done.finish_reason == "length"
    full = runtime.complete(PromptParts("Count from one to ten in words, separated by commas."),
                            GenerationParams(max_tokens=40, temperature=0.0)).text
    word = next(w for w in ("three", "Three", "3") if w in full)
    stopped = runtime.complete(PromptParts("Count from one to ten in words, separated by commas."),
                               GenerationParams(max_tokens=40, temperature=0.0, stop=(word,)))
    assert stopped.finish_reason == "stop"
    assert stopped.text == full[: full.index(word)]


def test_cancel_during_decode_stops_within_100ms(runtime):
    cancel = threading.Event()
    first = threading.Event()
    fut = runtime.submit(PromptParts("Write a long story about a dragon and a knight."),
                         GenerationParams(max_tokens=500), on_text=lambda _t: first.set(), cancel=cancel)
    assert first.wait(10)
    time.sleep(0.1)
    t0 = time.perf_counter()
    cancel.set()
    done = fut.result(timeout=5)
    assert time.perf_counter() - t0 < 0.1
    assert done.finish_reason == "cancelled" and done.tokens_out < 500


def test_cancel_during_long_prompt_evaluation_stops_within_100ms(runtime):
    cancel = threading.Event()
    started = time.perf_counter()
    fut = runtime.submit(PromptParts("summarise: " + "quarterly revenue grew " * 300),
                         GenerationParams(max_tokens=5), cancel=cancel)
    time.sleep(0.25)  # prefill of ~1,500 tokens takes seconds on one thread
    t0 = time.perf_counter()
    cancel.set()
    done = fut.result(timeout=5)
    assert time.perf_counter() - t0 < 0.1, "prefill was not interrupted"
    assert done.finish_reason == "cancelled" and done.tokens_out == 0
    assert time.perf_counter() - started < 2
    # the runtime is still healthy afterwards
    assert runtime.complete(PromptParts("Say OK."), GenerationParams(max_tokens=3)).tokens_out > 0


def test_prefix_cache_reuses_stable_system_prompt(runtime):
    system = "You are Reflex. Strategic context: " + " ".join(
        f"Goal {i}: grow account {i} revenue by {i} percent." for i in range(25))
    params = GenerationParams(max_tokens=1, temperature=0.0)
    runtime.complete(PromptParts("Unrelated warm-up question?"), params)  # evict the prefix
    cold = runtime.complete(PromptParts("Which goal is first?", system=system), params)
    warm = runtime.complete(PromptParts("Which goal is last?", system=system), params)
    assert cold.cached_tokens < 10
    assert warm.cached_tokens >= cold.tokens_in - 15  # all but the question
    assert warm.ttft_s < cold.ttft_s / 3


def test_swap_model_without_restart(tmp_path, model_path):
    alias = tmp_path / "Alias-Model.gguf"
    alias.symlink_to(model_path)
    rt = LocalRuntime(model_path, n_ctx=512, n_threads=1)
    try:
        progress: list[float] = []
        rt.swap_model(alias, on_progress=progress.append).result(timeout=30)
        assert rt.model_name == "Alias-Model" and progress[-1] == 1.0
        assert progress == sorted(progress)
        assert rt.complete(PromptParts("Hi"), GenerationParams(max_tokens=3)).model == "Alias-Model"
        with pytest.raises(Exception, match="cannot be used"):
            rt.swap_model(tmp_path / "missing.gguf").result(timeout=30)
        assert rt.model_name == "Alias-Model"  # the old model keeps serving
    finally:
        rt.close()


def test_default_threads_leave_a_core_free():
    assert default_threads() >= 1
