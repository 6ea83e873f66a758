"""How well, and how fast, the shipped sentiment model reads short Chinese texts it never saw.

    .venv/bin/python -m bench.sentiment [--data PATH]

The data is the shared benchmark `../shared/bench/sentiment/waimai_10k.csv`
(food-delivery reviews, `label,review`, 1 = positive), which the model was not
trained on nor tuned with. Accuracy is given on the whole file and on a random
20% of it (seed 0), the split the reference figures are quoted for: SnowNLP
0.79, and 0.89 for a character 1–3-gram TF-IDF logistic regression trained on
the other 80% of the same reviews, in their own domain. When SnowNLP is
installed it is measured here on the same split. A missing data folder is
reported, not an error. Not part of the test suite.
"""

from __future__ import annotations

import argparse
import csv
import importlib
import importlib.util
import os
import platform
import random
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from bot.concerns import sentiment

DATA = (
    Path(__file__).resolve().parent.parent.parent
    / "shared"
    / "bench"
    / "sentiment"
    / "waimai_10k.csv"
)
SEED = 0
TEST_SHARE = 0.2


def read(path: Path) -> list[tuple[str, int]]:
    with path.open(encoding="utf-8", newline="") as fp:
        return [(row["review"], int(row["label"])) for row in csv.DictReader(fp)]


def split(rows: list[tuple[str, int]]) -> list[tuple[str, int]]:
    """The seeded random 20% the reference figures are quoted on."""
    picked = random.Random(SEED).sample(range(len(rows)), round(len(rows) * TEST_SHARE))
    return [rows[i] for i in sorted(picked)]


def measure(name: str, rows: Sequence[tuple[str, int]], classify: Callable[[str], int]) -> None:
    started = time.perf_counter()
    guesses = [classify(text) for text, _ in rows]
    seconds = time.perf_counter() - started
    right = sum(guess == truth for guess, (_, truth) in zip(guesses, rows, strict=True))
    positives = [guess for guess, (_, truth) in zip(guesses, rows, strict=True) if truth == 1]
    negatives = [guess for guess, (_, truth) in zip(guesses, rows, strict=True) if truth == 0]
    on_pos = sum(positives) / len(positives) if positives else 0.0
    on_neg = (len(negatives) - sum(negatives)) / len(negatives) if negatives else 0.0
    print(
        f"  {name:32} accuracy {right / len(rows):.4f}   "
        f"positives {on_pos:.3f}  negatives {on_neg:.3f}  balanced {(on_pos + on_neg) / 2:.4f}   "
        f"{seconds / len(rows) * 1e6:7.1f} µs a text"
    )


def snownlp_classifier() -> Callable[[str], int] | None:
    if importlib.util.find_spec("snownlp") is None:
        return None
    snownlp: Any = importlib.import_module("snownlp")

    def classify(text: str) -> int:
        return 1 if float(snownlp.SnowNLP(text).sentiments) >= 0.5 else 0

    return classify


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--data", type=Path, default=DATA, help=f"label,review CSV (default {DATA})"
    )
    args = parser.parse_args(argv)
    print(
        f"machine: {platform.machine()} {os.cpu_count()} CPUs, {platform.system()}, "
        f"Python {platform.python_version()}"
    )
    if not args.data.is_file():
        print(f"no benchmark data at {args.data}: nothing measured")
        return 0

    rows = read(args.data)
    test = split(rows)
    share = sum(label for _, label in rows) / len(rows)
    print(f"data: {args.data.name}, {len(rows)} texts ({share:.0%} positive); split: {len(test)}")

    started = time.perf_counter()
    sentiment.model()
    sentiment.label("预热")  # OpenCC's converter loads on the first text
    print(f"model: {sentiment.MODEL_FILE} loaded in {time.perf_counter() - started:.2f} s")

    print("whole file:")
    measure("shiftmate", rows, sentiment.label)
    print(f"random {TEST_SHARE:.0%} split (seed {SEED}):")
    measure("shiftmate", test, sentiment.label)
    classify = snownlp_classifier()
    if classify is None:
        print("  snownlp                          not installed")
    else:
        classify("预热")
        measure("snownlp", test, classify)
    print("  references on a random 20% split: SnowNLP 0.79; in-domain TF-IDF + LR 0.89")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
