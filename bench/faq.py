"""How well, and how fast, the FAQ engine finds entries on the shared benchmark sets.

    .venv/bin/python -m bench.faq [--data DIR] [--runs 3]

The sets are `../shared/bench/faq/<set>.{faq,queries}.jsonl` (zh-500, en-stackfaq,
zh-1500): question + alternates indexed, the answer not. zh-500 and en-stackfaq
are the sets the method was developed on; zh-1500 was held out (looked at, not
tuned on). Reference on the same files (BM25 over character pairs): zh-500
hit@1 0.736, hit@3 0.920; en-stackfaq hit@1 0.658, hit@3 0.827.

Times are per question (search for the top ten and rate the confidence); the
machine is shared, so each set is timed `--runs` times and every p95 printed.
Start-up is measured first, in this fresh process: loading OpenCC, the
stemmer and the word vectors, and indexing the first 1,000 entries of zh-1500.
`--words-only` measures the engine without the word vectors. A missing data
folder is reported, not an error. Not part of the test suite.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import time
from pathlib import Path

from bot.faq import evaluate
from bot.faq.engine import Engine, bundled_meaning

DATA = Path(__file__).resolve().parent.parent.parent / "shared" / "bench" / "faq"
SETS = ("zh-500", "en-stackfaq", "zh-1500")
HELD_OUT = {"zh-1500"}
STARTUP_ENTRIES = 1000
FIGURES = ("hit@1", "hit@3", "mrr", "confident_share", "confident_hit@1")


def machine() -> str:
    return (
        f"{platform.machine()}, {len(os.sched_getaffinity(0))} cores (nproc), "
        f"Python {platform.python_version()} ({platform.python_implementation()})"
    )


def startup(faq: Path, words_only: bool) -> float:
    """Seconds to a ready engine over the first STARTUP_ENTRIES entries, libraries included."""
    docs = evaluate.documents(faq)[:STARTUP_ENTRIES]
    started = time.perf_counter()
    Engine.build(docs, meaning=None if words_only else bundled_meaning())
    return time.perf_counter() - started


def main(argv: list[str] | None = None) -> int:
    args = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    args.add_argument("--data", type=Path, default=DATA, help="the folder of the sets")
    args.add_argument("--runs", type=int, default=3, help="timings per set (default 3)")
    args.add_argument("--words-only", action="store_true", help="without the word vectors")
    options = args.parse_args(argv)
    if not options.data.is_dir():
        print(f"No benchmark data at {options.data}: nothing measured.")
        return 0
    print(f"machine: {machine()}")
    big = options.data / "zh-1500.faq.jsonl"
    if big.exists():
        seconds = startup(big, options.words_only)
        print(f"start-up with {STARTUP_ENTRIES:,} entries: {seconds:.2f} s")
    print(
        f"\n{'set':<14}{'hit@1':>7}{'hit@3':>7}{'mrr':>7}{'high':>7}{'right':>7}"
        f"{'p50 ms':>8}   p95 ms per run   build s"
    )
    for name in SETS:
        faq = options.data / f"{name}.faq.jsonl"
        queries = options.data / f"{name}.queries.jsonl"
        if not (faq.exists() and queries.exists()):
            print(f"{name:<14}missing")
            continue
        runs = [
            evaluate.evaluate(faq, queries, options.words_only) for _ in range(max(options.runs, 1))
        ]
        first = runs[0]
        label = name + (" *" if name in HELD_OUT else "")
        p95 = " ".join(f"{run['p95_ms']:.2f}" for run in runs)
        print(
            f"{label:<14}"
            + "".join(f"{first[key]:>7.3f}" for key in FIGURES)
            + f"{first['p50_ms']:>8.2f}   {p95:<16} {first['build_s']:.2f}"
        )
    print("\n* held out: not tuned on.  high = share answered HIGH, right = hit@1 among those.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
