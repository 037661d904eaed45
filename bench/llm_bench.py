"""LLM benchmark (one run, bundled SmolLM2, same model object and threads for every figure).

1. Decode speed through the engine's streaming path (`LocalRuntime.complete` with an `on_text`
   callback: owner-thread queue, incremental detokenisation, stop scan) vs raw `Llama.generate`
   on the same Llama object. Runs alternate and the best of each is kept (the box is shared).
2. Time to first token for a quick-ask behind a ~1,000-token cached prefix (system prompt +
   strategic context) vs the same prompt cold.
3. Peak RSS of the process.

Usage: python bench/llm_bench.py [--tokens 200] [--rounds 3]
"""

from __future__ import annotations

import argparse
import resource
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from engine.llm import GenerationParams, LocalRuntime, PromptParts, bundled_model_path  # noqa: E402

PROMPT = PromptParts("Write a detailed essay about the history of sailing ships and ocean trade.",
                     system="You are a helpful assistant.")


def raw_decode(runtime: LocalRuntime, n: int) -> tuple[float, float]:
    """(wall tok/s, CPU tok/s) of plain `Llama.generate` (greedy, same sampler settings),
    from the first to the n-th token. CPU time is the owner thread's (with one thread ggml
    computes there), which a shared, busy box cannot distort."""
    tokens = runtime.prompt_tokens(PROMPT)  # exactly what the engine evaluates

    def job(llm) -> tuple[float, float]:
        import llama_cpp

        llm.reset()
        count, wall, cpu = 0, 0.0, 0.0
        for token in llm.generate(tokens, temp=0.0, top_k=40, top_p=0.95, repeat_penalty=1.1):
            if count == 0:
                wall, cpu = time.perf_counter(), time.thread_time()
            if llama_cpp.llama_vocab_is_eog(llm._model.vocab, token) or count >= n:  # noqa: SLF001
                break
            count += 1
        return (count - 1) / (time.perf_counter() - wall), (count - 1) / (time.thread_time() - cpu)
    return runtime.run_job(job)


def engine_decode(runtime: LocalRuntime, n: int) -> tuple[float, float]:
    """(wall tok/s, CPU tok/s) through the streaming path; `on_text` runs on the owner thread,
    so its thread-time stamps cover the same work as the raw loop's."""
    runtime.run_job(lambda llm: llm.reset())
    stamps: list[tuple[float, float]] = []
    done = runtime.complete(PROMPT, GenerationParams(max_tokens=n + 1, temperature=0.0),
                            on_text=lambda _t: stamps.append((time.perf_counter(), time.thread_time())))
    if len(stamps) < 2:
        return 0.0, 0.0
    (w0, c0), (w1, c1) = stamps[0], stamps[-1]
    return (done.tokens_out - 1) / (w1 - w0), (done.tokens_out - 1) / (c1 - c0)


def ttft(runtime: LocalRuntime) -> tuple[float, float, int]:
    """(cold, warm, prefix tokens) for a quick-ask behind a ~1,000-token stable prefix."""
    context = " ".join(f"Goal {i}: grow the {name} account by {i + 3} percent while keeping churn low."
                       for i, name in enumerate(["Acme", "Globex", "Initech", "Umbrella", "Hooli"] * 12))
    system = f"You are Reflex, the executive's assistant. Strategic context: {context}"
    one = GenerationParams(max_tokens=1, temperature=0.0)
    runtime.run_job(lambda llm: llm.reset())
    cold = runtime.complete(PromptParts("What is the first goal?", system=system), one)
    warm = [runtime.complete(PromptParts(f"Quick question {i}: which account is biggest?", system=system),
                             one).ttft_s for i in range(3)]
    return cold.ttft_s, statistics.median(warm), cold.tokens_in


def bench(name: str, value: float, unit: str, op: str, target: float) -> None:
    ok = value >= target if op == ">=" else value <= target
    print(f"BENCH {name} {value:.3g} {unit} target {op} {target:g} {'PASS' if ok else 'FAIL'}")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--tokens", type=int, default=200)
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args()
    runtime = LocalRuntime(bundled_model_path(), n_ctx=2048)
    runtime.load().result()
    print(f"model {runtime.model_name}, threads {runtime.n_threads}")
    raw, eng = [], []
    for i in range(args.rounds):  # alternate the order so drifting load favours neither
        if i % 2:
            eng.append(engine_decode(runtime, args.tokens))
            raw.append(raw_decode(runtime, args.tokens))
        else:
            raw.append(raw_decode(runtime, args.tokens))
            eng.append(engine_decode(runtime, args.tokens))
    raw_wall, raw_cpu = max(r[0] for r in raw), max(r[1] for r in raw)
    eng_wall, eng_cpu = max(e[0] for e in eng), max(e[1] for e in eng)
    print(f"decode raw Llama.generate: {raw_wall:.1f} tok/s wall, {raw_cpu:.1f} tok/s CPU "
          f"(wall runs {[round(r[0]) for r in raw]})")
    print(f"decode engine streaming:   {eng_wall:.1f} tok/s wall, {eng_cpu:.1f} tok/s CPU "
          f"(wall runs {[round(e[0]) for e in eng]})")
    cold, warm, prefix = ttft(runtime)
    print(f"TTFT with {prefix}-token prompt: cold {cold * 1000:.0f} ms, cached prefix {warm * 1000:.0f} ms")
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    runtime.close()
    bench("llm.decode_ratio", eng_wall / raw_wall, "x", ">=", 0.95)
    bench("llm.decode_ratio_cpu", eng_cpu / raw_cpu, "x", ">=", 0.95)
    bench("llm.ttft_cached_ratio", warm / cold, "x", "<=", 0.10)
    bench("llm.peak_rss", rss_mb, "MB", "<=", 500)


if __name__ == "__main__":
    main()
