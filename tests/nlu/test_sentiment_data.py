"""The training corpus and the held-out set stay apart, and the corpus stays balanced."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

from nlu.sentiment_training import CORPUS, file_sha256, read_labelled_tsv

HELD_OUT = Path(__file__).resolve().parents[1] / "data" / "sentiment_eval.tsv"


def _fold(text: str) -> str:
    """Lower-case with whitespace runs folded to one space: how a copy would still match."""
    return " ".join(text.lower().split())


def test_corpus_and_held_out_set_share_no_line() -> None:
    corpus = {_fold(r["text"]) for r in read_labelled_tsv(CORPUS)}
    held_out = {_fold(r["text"]) for r in read_labelled_tsv(HELD_OUT)}
    assert corpus.isdisjoint(held_out), sorted(corpus & held_out)


def test_neither_file_repeats_a_line() -> None:
    for path in (CORPUS, HELD_OUT):
        counts = Counter(_fold(r["text"]) for r in read_labelled_tsv(path))
        assert [t for t, n in counts.items() if n > 1] == [], path.name


def test_corpus_classes_are_balanced_within_five_percent() -> None:
    counts = Counter(r["label"] for r in read_labelled_tsv(CORPUS))
    assert set(counts) == {"-1", "0", "1"}
    assert max(counts.values()) <= 1.05 * min(counts.values()), counts


def test_both_files_hold_short_check_ins_of_every_class() -> None:
    for path, least in ((CORPUS, 20), (HELD_OUT, 5)):
        short = Counter(
            r["label"] for r in read_labelled_tsv(path) if len(r["text"].split()) <= 4
        )
        assert all(short[label] >= least for label in ("-1", "0", "1")), (path.name, short)


def test_shipped_head_was_trained_on_the_corpus_as_it_is() -> None:
    manifest = Path(__file__).resolve().parents[2] / "models" / "shipped" / "sentiment-head"
    shipped = json.loads((manifest / "manifest.json").read_text(encoding="utf-8"))
    assert shipped["data_hash"] == file_sha256(CORPUS), (
        "the corpus changed: retrain with "
        "`coachloop train sentiment --seed 0 --out models/shipped/sentiment-head`"
    )
