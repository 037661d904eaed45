"""Model gallery and local-server engine: does our plumbing cost anything over the transport?

1. Download throughput: the product's verified download (`ModelDownloader`: hub metadata, free-space check,
   huggingface_hub's `http_get`, sha256 verification, audit) of the bundled SmolLM2 GGUF (98 MB) from the fake
   hub throttled to a realistic 30 MB/s, against a plain `requests` streaming download of the same file from
   the same server in the same run. Target: product / plain >= 0.9 (best of 2 each, interleaved).
2. Time to first token through the local-server engine (`LLMService.ask` -> `ServerEngine` -> openai SDK)
   against calling the fake Ollama's /v1/chat/completions directly with the openai SDK, median of 20 after a
   warm-up. Target: overhead <= 20 ms.

The fake servers run in child processes so they do not share this process's GIL.
Usage: python bench/gallery_bench.py
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench._report import bench_line  # noqa: E402

RATE_BPS = 30e6
REPO, FILE = "reflex-bench/SmolLM2-GGUF", "smollm2.gguf"
HUB = f"""
import sys, time
from engine.bundled import default_llm
from tests.fakes.hf_hub import FakeHub
hub = FakeHub(repos={{{REPO!r}: {{{FILE!r}: default_llm().path}}}}, rate_bps={RATE_BPS})
hub.served(default_llm().path)
print(hub.url, flush=True)
sys.stdin.read()
"""
OLLAMA = """
import sys
from tests.fakes.ollama_server import FakeOllama
server = FakeOllama(reply=lambda body: "The pilot starts on 3 March.", chunk_size=4, chunk_delay_s=0.001)
print(server.url, flush=True)
sys.stdin.read()
"""


def _child(code: str) -> tuple[subprocess.Popen, str]:
    proc = subprocess.Popen([sys.executable, "-c", code], cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            text=True)
    return proc, proc.stdout.readline().strip()


def _plain_download(url: str, dest: Path) -> float:
    import requests

    started = time.perf_counter()
    with requests.get(url, stream=True, timeout=30) as response, open(dest, "wb") as out:
        response.raise_for_status()
        for chunk in response.iter_content(1 << 20):
            out.write(chunk)
    return dest.stat().st_size / (time.perf_counter() - started)


def _product_download(hub_url: str, folder: Path) -> float:
    from dataclasses import replace

    from engine.gallery import ModelDownloader, find_entry

    entry = replace(find_entry("qwen2.5-0.5b"), name="bench", repo=REPO, files=(FILE,))
    downloader = ModelDownloader(folder, audit=lambda _e: None, endpoint=hub_url)
    started = time.perf_counter()
    got = downloader.download(entry)
    rate = got.path.stat().st_size / (time.perf_counter() - started)
    got.path.unlink()
    return rate


def download_bench() -> list[str]:
    proc, hub_url = _child(HUB)
    try:
        plain, product = [], []
        with tempfile.TemporaryDirectory() as tmp:
            for i in range(2):
                plain.append(_plain_download(f"{hub_url}/{REPO}/resolve/main/{FILE}", Path(tmp) / f"plain{i}"))
                product.append(_product_download(hub_url, Path(tmp) / f"models{i}"))
        print(f"download MB/s: plain {[round(r / 1e6, 1) for r in plain]}, "
              f"product {[round(r / 1e6, 1) for r in product]} (hub throttled to {RATE_BPS / 1e6:.0f} MB/s)")
        return [bench_line("gallery_download_vs_plain_requests", max(product) / max(plain), "ratio", ">=", 0.9)]
    finally:
        proc.stdin.close()
        proc.wait(10)


def _ttft(fn) -> float:  # noqa: ANN001
    """Seconds from the call to its first streamed piece."""
    started = time.perf_counter()
    seen: list[float] = []

    def on_token(_text: str) -> None:
        if not seen:
            seen.append(time.perf_counter() - started)

    fn(on_token)
    return seen[0]


def ttft_bench() -> list[str]:
    import openai

    from engine.llm import LLMService
    from engine.llm.budget import PromptParts
    from engine.llm.runtime import GenerationParams
    from engine.llm.servers import ServerEngine, ServerModel

    proc, url = _child(OLLAMA)
    try:
        engine = ServerEngine(ServerModel("ollama", url, "llama3.2:3b"), audit=lambda _e: None)
        service = LLMService(runtime=engine, audit=lambda _e: None)
        parts = PromptParts("When does the pilot start?", system="Be brief.")
        params = GenerationParams(max_tokens=32)
        client = openai.OpenAI(base_url=f"{url}/v1", api_key="not-needed", max_retries=0)
        messages = [{"role": "system", "content": "Be brief."}, {"role": "user", "content": "When does the pilot start?"}]

        def direct(on_token) -> None:  # noqa: ANN001
            stream = client.chat.completions.create(model="llama3.2:3b", messages=messages, stream=True,
                                                    max_tokens=32, temperature=0.7)
            for chunk in stream:
                for choice in chunk.choices:
                    if choice.delta and choice.delta.content:
                        on_token(choice.delta.content)

        def product(on_token) -> None:  # noqa: ANN001
            service.ask(parts, params=params, on_token=on_token)

        for _ in range(3):  # warm-up: imports, connection pools
            _ttft(direct)
            _ttft(product)
        direct_ms, product_ms = [], []
        for _ in range(20):
            direct_ms.append(_ttft(direct) * 1000)
            product_ms.append(_ttft(product) * 1000)
        engine.close()
        d, p = statistics.median(direct_ms), statistics.median(product_ms)
        print(f"ttft ms (median of 20): direct {d:.1f}, through the engine {p:.1f}")
        return [bench_line("local_server_ttft_overhead", p - d, "ms", "<=", 20)]
    finally:
        proc.stdin.close()
        proc.wait(10)


def main() -> int:
    lines = download_bench() + ttft_bench()
    return 0 if all(line.endswith("PASS") for line in lines) else 1


if __name__ == "__main__":
    sys.exit(main())
