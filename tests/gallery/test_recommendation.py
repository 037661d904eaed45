"""The gallery's catalogue and what it recommends for a machine (RAM, cores, CPU features, free disk)."""

from __future__ import annotations

from pathlib import Path

import pytest

from engine.gallery.catalogue import GalleryError, curated, find_entry
from engine.gallery.machine import Machine, probe_machine, recommend

LAPTOP_16GB = Machine(ram_gb=16, cores=8, avx2=True, avx512=False, apple_silicon=False, free_disk_gb=200)
MAC_32GB = Machine(ram_gb=32, cores=10, avx2=False, avx512=False, apple_silicon=True, free_disk_gb=500)
OLD_8GB = Machine(ram_gb=8, cores=2, avx2=True, avx512=False, apple_silicon=False, free_disk_gb=200)
TINY_DISK = Machine(ram_gb=16, cores=8, avx2=True, avx512=False, apple_silicon=False, free_disk_gb=1.5)


def test_the_catalogue_offers_chat_models_from_half_a_billion_to_eight_billion_and_whisper_sizes() -> None:
    chat = [e for e in curated() if e.kind == "chat"]
    speech = [e for e in curated() if e.kind == "speech"]
    assert min(e.parameters_b for e in chat) <= 0.5 and max(e.parameters_b for e in chat) >= 7.5
    assert {e.quantization for e in chat} <= {"Q4_K_M", "Q5_K_M"} and all(e.files[0].endswith(".gguf") for e in chat)
    families = " ".join(e.title for e in chat)
    assert all(f in families for f in ("Qwen", "Llama", "Phi", "Gemma"))
    assert all(e.licence and e.context_length and e.chat_template and e.languages for e in chat)
    assert {e.name for e in speech} >= {"whisper-tiny.en", "whisper-tiny", "whisper-small", "whisper-small.en"}
    assert any(e.multilingual for e in speech) and any(not e.multilingual for e in speech)
    assert all(set(e.files) == {"config.json", "model.bin", "tokenizer.json", "vocabulary.txt"} for e in speech)
    assert len({e.name for e in curated()}) == len(curated())


def test_an_unknown_name_lists_the_choices() -> None:
    with pytest.raises(GalleryError) as err:
        find_entry("gpt-5")
    assert "qwen2.5-0.5b" in err.value.next_step


def _by_status(machine: Machine) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for v in recommend(curated(), machine):
        out.setdefault(v.status, []).append(v.entry.name)
    return out


def test_a_16gb_laptop_gets_a_3b_class_model_and_7b_models_are_marked_slow() -> None:
    verdicts = {v.entry.name: v for v in recommend(curated(), LAPTOP_16GB)}
    [chat] = [v for v in verdicts.values() if v.status == "recommended" and v.entry.kind == "chat"]
    assert 2.5 <= chat.entry.parameters_b <= 4 and "non-commercial" not in chat.entry.licence
    assert "16 GB RAM, 8 cores (AVX2)" in chat.reason and "tokens/s" in chat.reason
    assert verdicts["qwen2.5-7b"].status == "slow" and "takes" in verdicts["qwen2.5-7b"].reason
    [speech] = [v for v in verdicts.values() if v.status == "recommended" and v.entry.kind == "speech"]
    assert speech.entry.multilingual


def test_apple_silicon_runs_8b_models_comfortably() -> None:
    verdicts = {v.entry.name: v for v in recommend(curated(), MAC_32GB)}
    assert verdicts["llama-3.1-8b"].status == "recommended"
    assert verdicts["qwen2.5-7b"].status == "fits"


def test_an_old_machine_is_told_why_not() -> None:
    statuses = _by_status(OLD_8GB)
    assert "llama-3.1-8b" in statuses["too-big"]
    [chat] = [n for n in statuses["recommended"] if not n.startswith("whisper")]
    assert find_entry(chat).parameters_b <= 1.5 and "qwen2.5-3b" in statuses["slow"]
    verdicts = {v.entry.name: v for v in recommend(curated(), OLD_8GB)}
    assert "needs about 6.8 GB of memory; this computer has 8 GB" == verdicts["llama-3.1-8b"].reason
    assert verdicts["whisper-medium"].status == "slow"


def test_a_full_disk_rules_out_what_does_not_fit_on_it() -> None:
    statuses = _by_status(TINY_DISK)
    assert "qwen2.5-7b" in statuses["no-disk"] and "qwen2.5-0.5b" not in statuses["no-disk"]


def test_this_machine_is_read(tmp_path: Path) -> None:
    machine = probe_machine(tmp_path / "models")
    assert machine.ram_gb > 0.5 and machine.cores >= 1 and machine.free_disk_gb > 0
    assert (tmp_path / "models").is_dir()


def test_without_avx2_every_chat_model_is_slow_and_none_is_recommended() -> None:
    statuses = _by_status(Machine(ram_gb=8, cores=2, avx2=False, avx512=False, apple_silicon=False, free_disk_gb=99))
    assert not [n for n in statuses.get("recommended", []) if not n.startswith("whisper")]
    assert "qwen2.5-0.5b" in statuses["slow"]  # the bundled model stays the default there
