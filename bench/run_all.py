"""`make bench`: run every bench/*_bench.py in turn and print one table of their BENCH lines."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main() -> int:
    lines: list[str] = []
    failed_scripts: list[str] = []
    for script in sorted(HERE.glob("*_bench.py")):
        print(f"== {script.name}", flush=True)
        proc = subprocess.run([sys.executable, str(script)], capture_output=True, text=True)
        sys.stdout.write(proc.stdout)
        if proc.returncode not in (0, 1):
            failed_scripts.append(script.name)
            sys.stdout.write(proc.stderr[-2000:])
        lines += [line for line in proc.stdout.splitlines() if line.startswith("BENCH ")]
    print("\n== Summary")
    width = max((len(line.split()[1]) for line in lines), default=10)
    for line in lines:
        parts = line.split()
        print(f"{parts[1]:<{width}}  {parts[2]:>10} {parts[3]:<6} target {parts[5]} {parts[6]:<8} {parts[7]}")
    for line in lines:
        print(line)
    if failed_scripts:
        print(f"benchmarks that crashed: {', '.join(failed_scripts)}")
    return 1 if failed_scripts else 0


if __name__ == "__main__":
    sys.exit(main())
