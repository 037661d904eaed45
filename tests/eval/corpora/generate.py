"""Regenerate the corpus JSON files: `python -m tests.eval.corpora.generate` from the repository root."""

from __future__ import annotations

from pathlib import Path

from tests.eval.corpora import alpenrose, dsl, fernhill, kaito

CORPORA = (fernhill, alpenrose, kaito)

if __name__ == "__main__":
    for module in CORPORA:
        print(dsl.write(module, Path(__file__).parent))
