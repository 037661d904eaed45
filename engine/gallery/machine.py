"""What this computer can run: RAM, cores, CPU features and free disk, and per gallery model a verdict —
fits, recommended, slow or too big — with the reason in words.

The speed estimate is a memory-bandwidth model (decoding reads every weight once per token, so tokens/s is
roughly usable bandwidth / model size). Usable CPU bandwidth is taken as 4 GB/s per physical core (up to 8),
x1.5 with AVX-512, x0.4 without AVX2, and 60 GB/s on Apple Silicon. On the 2-core AVX-512 box of FACTS.md it
gives ~2.5 tokens/s for a 7B Q4 model (measured: 2-3). Pure functions over a `Machine`; `probe_machine()` reads
the real one (Linux and macOS; elsewhere the unknown parts are left at conservative values).
"""

from __future__ import annotations

import os
import platform
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from engine.gallery.catalogue import CatalogueEntry
from engine.llm.runtime import physical_cores

#: Below this estimated decode speed an answer of ~100 words takes over 15 s: "slow".
SLOW_TOKENS_PER_S = 8.0
#: A chat model is recommended only if it leaves at least half of the RAM to the OS and the user's apps.
RAM_SHARE_FOR_MODEL = 0.5
#: Memory the OS, Reflex itself and a browser need beside any model: below model + this, it does not fit.
RAM_FOR_EVERYTHING_ELSE_GB = 2.0


@dataclass(frozen=True, slots=True)
class Machine:
    ram_gb: float
    cores: int
    avx2: bool
    avx512: bool
    apple_silicon: bool
    free_disk_gb: float

    def describe(self) -> str:
        cpu = "Apple Silicon" if self.apple_silicon else ("AVX-512" if self.avx512 else "AVX2" if self.avx2 else
                                                          "no AVX2")
        return (f"{self.ram_gb:.0f} GB RAM, {self.cores} cores ({cpu}), "
                f"{self.free_disk_gb:.0f} GB free for models")

    @property
    def bandwidth_gbps(self) -> float:
        if self.apple_silicon:
            return 60.0
        usable = 4.0 * min(self.cores, 8)
        return usable * (1.5 if self.avx512 else 1.0 if self.avx2 else 0.4)


def _ram_gb() -> float:
    try:
        return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 1e9
    except (ValueError, OSError, AttributeError):
        return 8.0  # unknown: assume a modest laptop


def _cpu_flags() -> set[str]:
    try:
        with open("/proc/cpuinfo", encoding="ascii", errors="ignore") as f:
            for line in f:
                if line.startswith("flags"):
                    return set(line.split(":", 1)[1].split())
    except OSError:
        pass
    if platform.system() == "Darwin" and platform.machine() == "x86_64":
        try:
            out = subprocess.run(["sysctl", "-n", "machdep.cpu.leaf7_features", "machdep.cpu.features"],
                                 capture_output=True, text=True, timeout=2).stdout
            return {w.lower().replace(".", "_") for w in out.split()}
        except (OSError, subprocess.SubprocessError):
            pass
    return set()


def probe_machine(models_dir: Path) -> Machine:
    """This computer's figures; free disk is measured where models are stored (created if missing)."""
    models_dir.mkdir(parents=True, exist_ok=True)
    flags = _cpu_flags()
    apple = platform.system() == "Darwin" and platform.machine() == "arm64"
    return Machine(ram_gb=_ram_gb(), cores=physical_cores(), avx2="avx2" in flags,
                   avx512="avx512f" in flags, apple_silicon=apple,
                   free_disk_gb=shutil.disk_usage(models_dir).free / 1e9)


@dataclass(frozen=True, slots=True)
class Verdict:
    """`status`: recommended | fits | slow | too-big | no-disk. `tokens_per_s` is 0 for speech models."""

    entry: CatalogueEntry
    status: str
    reason: str
    tokens_per_s: float = 0.0
    download_minutes: float = 0.0

    @property
    def usable(self) -> bool:
        return self.status in ("recommended", "fits", "slow")


def estimate_tokens_per_s(entry: CatalogueEntry, machine: Machine) -> float:
    return machine.bandwidth_gbps / max(entry.size_mb / 1000, 0.05)


def judge(entry: CatalogueEntry, machine: Machine, *, download_mbps: float = 40.0) -> Verdict:
    """The verdict for one model on `machine` (before choosing the recommended one)."""
    minutes = entry.size_mb / download_mbps / 60
    if machine.free_disk_gb * 1000 < entry.size_mb * 1.05:
        return Verdict(entry, "no-disk", f"needs {entry.size_mb / 1000:.1f} GB of disk; "
                                         f"{machine.free_disk_gb:.1f} GB free", 0.0, minutes)
    if machine.ram_gb < entry.ram_gb + RAM_FOR_EVERYTHING_ELSE_GB:
        return Verdict(entry, "too-big", f"needs about {entry.ram_gb:.1f} GB of memory; this computer has "
                                         f"{machine.ram_gb:.0f} GB", 0.0, minutes)
    if entry.kind == "speech":
        slow = entry.speed_class == "slow" and machine.cores < 8 and not machine.apple_silicon
        return Verdict(entry, "slow" if slow else "fits",
                       "slower than real time on fewer than 8 cores" if slow else "runs comfortably here",
                       0.0, minutes)
    speed = estimate_tokens_per_s(entry, machine)
    if speed < SLOW_TOKENS_PER_S:
        return Verdict(entry, "slow", f"about {speed:.0f} tokens/s here: a short answer takes "
                                      f"{100 / speed:.0f} s", speed, minutes)
    return Verdict(entry, "fits", f"about {speed:.0f} tokens/s here", speed, minutes)


def recommend(entries: tuple[CatalogueEntry, ...] | list[CatalogueEntry], machine: Machine) -> list[Verdict]:
    """Verdicts for every entry, in catalogue order, with one chat and one speech model marked "recommended":
    the largest one that fits, is not slow and (for chat) leaves half the memory free. Speech prefers
    multilingual models (a meeting is not always in English)."""
    verdicts = [judge(e, machine) for e in entries]

    def best(kind: str) -> Verdict | None:
        candidates = [v for v in verdicts if v.entry.kind == kind and v.status == "fits"
                      and (kind != "chat" or v.entry.ram_gb <= machine.ram_gb * RAM_SHARE_FOR_MODEL)]
        if kind == "chat":
            candidates = [v for v in candidates if "non-commercial" not in v.entry.licence]
        return max(candidates, key=lambda v: (v.entry.multilingual, v.entry.size_mb) if kind == "speech"
                   else (v.entry.parameters_b, -v.entry.size_mb), default=None)

    for kind in ("chat", "speech"):
        chosen = best(kind)
        if chosen is not None:
            i = verdicts.index(chosen)
            verdicts[i] = Verdict(chosen.entry, "recommended", f"the best fit for {machine.describe()}: "
                                  f"{chosen.reason}", chosen.tokens_per_s, chosen.download_minutes)
    return verdicts
