"""How well the engine finds FAQ entries: `faq eval` over a benchmark set, `faq ask` for one question.

A set is two JSON Lines files: `<set>.faq.jsonl`, one entry a line
(`{"id", "question", "alternates", "answer"}`), and `<set>.queries.jsonl`, one
question a line (`{"query", "expected"}`, the id that should come first). The
question and alternates of each entry are indexed; the answer is not.

Figures: hit@1 and hit@3 (the expected entry first, or in the top three), MRR
(over the top ten), confident_share (questions answered HIGH) and
confident_hit@1 (how often a HIGH answer was right), p50_ms and p95_ms (time to
search one question and rate it), and build_s (time to index the entries).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from bot.faq.engine import Confidence, Document, Engine, bundled_meaning

DEPTH = 10  # MRR counts the expected entry down to this rank


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    """The objects of a JSON Lines file; blank lines skipped, errors name file and line."""
    rows: list[dict[str, Any]] = []
    with path.open(encoding="utf-8") as lines:
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as err:
                raise ValueError(f"{path}:{number}: not JSON ({err.msg})") from err
            if not isinstance(row, dict):
                raise ValueError(f"{path}:{number}: not a JSON object")
            rows.append(row)
    return rows


def documents(faq: Path) -> list[Document]:
    """Each entry's question and alternates, as the engine indexes them."""
    found: list[Document] = []
    for row in read_jsonl(faq):
        try:
            texts = (str(row["question"]), *(str(text) for text in row.get("alternates") or ()))
            found.append(Document(str(row["id"]), texts))
        except KeyError as err:
            raise ValueError(f"{faq}: an entry has no {err.args[0]!r}") from err
    return found


def load(faq: Path, words_only: bool = False) -> tuple[Engine, float]:
    """The engine over a FAQ file (with the word vectors unless `words_only`), and the
    seconds it took to build."""
    docs = documents(faq)
    started = time.perf_counter()
    engine = Engine.build(docs, meaning=None if words_only else bundled_meaning())
    return engine, time.perf_counter() - started


def evaluate(faq: Path, queries: Path, words_only: bool = False) -> dict[str, float]:
    """hit@1, hit@3, mrr, confident_share, confident_hit@1, p50_ms, p95_ms and build_s."""
    engine, build_s = load(faq, words_only)
    asked = [(str(row["query"]), str(row["expected"])) for row in read_jsonl(queries)]
    hit1 = hit3 = confident = confident_right = 0
    reciprocal = 0.0
    timings: list[float] = []
    for query, expected in asked:
        started = time.perf_counter()
        matches = engine.search(query, top=DEPTH)
        confidence = engine.confidence(matches, query)
        timings.append((time.perf_counter() - started) * 1000)
        ranked = [match.id for match in matches]
        right = ranked[:1] == [expected]
        hit1 += right
        hit3 += expected in ranked[:3]
        if expected in ranked:
            reciprocal += 1 / (ranked.index(expected) + 1)
        if confidence is Confidence.HIGH:
            confident += 1
            confident_right += right
    count = len(asked) or 1
    return {
        "hit@1": hit1 / count,
        "hit@3": hit3 / count,
        "mrr": reciprocal / count,
        "confident_share": confident / count,
        "confident_hit@1": confident_right / confident if confident else 0.0,
        "p50_ms": percentile(timings, 50),
        "p95_ms": percentile(timings, 95),
        "build_s": build_s,
    }


def percentile(values: Sequence[float], pct: float) -> float:
    """The pct-th percentile, interpolated; 0 for no values."""
    if not values:
        return 0.0
    if len(values) == 1:
        return float(values[0])
    return statistics.quantiles(values, n=100, method="inclusive")[round(pct) - 1]


def table(figures: dict[str, float]) -> str:
    """The figures one a line, aligned."""
    lines = []
    for name, value in figures.items():
        shown = f"{value:.2f}" if name.endswith(("_ms", "_s")) else f"{value:.3f}"
        lines.append(f"{name:<16} {shown:>8}")
    return "\n".join(lines) + "\n"


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(
        prog="faq", description="Measure or try the FAQ matching engine on JSON Lines files."
    )
    commands = top.add_subparsers(dest="command", required=True, metavar="COMMAND")
    run = commands.add_parser("eval", help="score the engine on a FAQ and its test questions")
    run.add_argument("--faq", type=Path, required=True, help="<set>.faq.jsonl")
    run.add_argument("--queries", type=Path, required=True, help="<set>.queries.jsonl")
    run.add_argument("--json", action="store_true", help="print one JSON object")
    run.add_argument("--words-only", action="store_true", help="without the word vectors")
    ask = commands.add_parser("ask", help="the best matches for one question")
    ask.add_argument("question")
    ask.add_argument("--faq", type=Path, required=True, help="<set>.faq.jsonl")
    ask.add_argument("--top", type=int, default=3, help="how many matches (default 3)")
    return top


def main(argv: list[str] | None = None) -> int:
    """`faq eval --faq FILE --queries FILE [--json]` or `faq ask "…" --faq FILE [--top 3]`."""
    args = parser().parse_args(argv)
    try:
        if args.command == "eval":
            figures = evaluate(args.faq, args.queries, args.words_only)
            out = json.dumps(figures) + "\n" if args.json else table(figures)
        else:
            out = ask(args.faq, args.question, args.top)
    except (OSError, ValueError, KeyError) as err:
        sys.stderr.write(f"{err}\n")
        return 2
    sys.stdout.write(out)
    return 0


def ask(faq: Path, question: str, top: int) -> str:
    """What the engine makes of one question: confidence, then each match with its question."""
    docs = documents(faq)
    engine = Engine.build(docs, meaning=bundled_meaning())
    found = engine.search(question, top=max(top, 2))  # confidence weighs the runner-up
    questions = {doc.id: doc.texts[0] for doc in docs}
    lines = [f"confidence: {engine.confidence(found, question).name.lower()}"]
    matches = found[: max(top, 0)]
    lines += [
        f"{rank}. {match.id}  {match.score:.3f}  {questions[match.id]}"
        for rank, match in enumerate(matches, start=1)
    ]
    if not matches:
        lines.append("no match")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    sys.exit(main())
