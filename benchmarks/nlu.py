"""Benchmark: NLU backends side by side (speed and held-out quality), plus pain baselines.

Run from the repo root: ``python -m benchmarks.nlu`` (1,000 texts for throughput) or
``python -m benchmarks.nlu --quick`` (200 texts). Everything runs in one process:

- throughput (texts/s) of VADER + sports lexicon, the MiniLM head and the ensemble, and the
  ensemble's cost relative to VADER alone; first-call (load) time reported separately;
- on the held-out ``tests/data/sentiment_eval.tsv`` (never used for training): accuracy and
  macro-F1 of plain NLTK VADER (baseline), VADER + sports lexicon, transformer and ensemble;
- pain recall / precision of our extractor vs a keyword baseline without negation handling;
- intent accuracy on the held-out ``tests/data/intent_eval.tsv``: our classifier, and a real
  Rasa server side by side when ``--rasa-url`` points at one (``bash rasa/setup.sh``);
- languages (``--languages`` runs only this part): per-message time of reading a check-in
  before languages were read (English rules, VADER, intent classifier) and now (language
  detection, the language's reading, pain in every language), on the English held-out
  check-ins and on all five languages' (``nlu/data/eval/*.yml``), with the ratio; each
  sentiment component alone against the ensemble on the held-out check-ins; and language
  detection on the tuning check-ins: lingua alone in each mode against ``nlu.detect``.
"""

from __future__ import annotations

import argparse
import os
import re
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

from nlu import NluEngine
from nlu.evaluation import load_eval_rows
from nlu.extract import extract
from nlu.sentiment_training import accuracy, macro_f1
from nlu.vader import build_vader, vader_level

EVAL = Path(__file__).resolve().parents[1] / "tests" / "data" / "sentiment_eval.tsv"
INTENT_EVAL = EVAL.with_name("intent_eval.tsv")
_KEYWORD_PAIN = re.compile(r"\b(?:pain|painful|hurts?|hurting|injur\w*|sore)\b", re.IGNORECASE)


def _throughput(fn, texts: list[str], repeats: int) -> float:  # type: ignore[no-untyped-def]
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        fn(texts)
        best = min(best, time.perf_counter() - start)
    return len(texts) / best


def _recall_precision(gold: list[bool], got: list[bool]) -> tuple[float, float]:
    tp = sum(g and p for g, p in zip(gold, got, strict=True))
    recall = tp / sum(gold) if any(gold) else 0.0
    precision = tp / sum(got) if any(got) else 0.0
    return recall, precision


def main() -> None:
    """Print the tables."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="200 texts, one timing repeat")
    parser.add_argument("--eval", type=Path, default=EVAL, help="labelled held-out TSV")
    parser.add_argument("--threads", type=int, default=1, help="torch threads (default 1)")
    parser.add_argument("--rasa-url", default=None, help="running Rasa server to compare intents")
    parser.add_argument("--languages", action="store_true", help="only the languages part")
    args = parser.parse_args()
    if args.languages:
        _languages(repeats=1 if args.quick else 3)
        return

    rows = load_eval_rows(args.eval)
    texts = [r["text"] for r in rows]
    truth = [int(r["label"]) for r in rows]
    n_speed = 200 if args.quick else 1000
    repeats = 1 if args.quick else 3
    speed_texts = (texts * (n_speed // len(texts) + 1))[:n_speed]

    engines = {name: NluEngine(name) for name in ("vader", "transformer", "ensemble")}

    print(f"# NLU benchmark on {len(rows)} held-out texts ({args.eval.name}); speed on {n_speed}")
    print("\n## first call (load) time, s; later engines reuse what earlier ones loaded")
    for name, engine in engines.items():
        start = time.perf_counter()
        engine.sentiment_many(texts[:1])
        print(f"{name}\t{time.perf_counter() - start:.2f}")
        if name == "vader":
            import torch

            torch.set_num_threads(args.threads)
    plain = build_vader(sports_lexicon=None)

    print("\n## throughput, texts/s (batch sentiment_many, best of repeats)")
    speeds = {
        name: _throughput(engine.sentiment_many, speed_texts, repeats)
        for name, engine in engines.items()
    }
    for name, speed in speeds.items():
        print(f"{name}\t{speed:,.0f}")
    print(f"ensemble cost vs VADER alone\t{speeds['vader'] / speeds['ensemble']:.1f}x slower")
    parse_speed = _throughput(lambda ts: [extract(t) for t in ts], speed_texts, repeats)
    print(f"extraction only (rules)\t{parse_speed:,.0f}")

    print("\n## held-out sentiment quality\nbackend\taccuracy\tmacro_f1")
    preds = {"vader_plain (baseline)": [vader_level(plain.score(t)) for t in texts]}
    for name, engine in engines.items():
        preds[name] = [s.level for s in engine.sentiment_many(texts)]
    for name, pred in preds.items():
        print(f"{name}\t{accuracy(truth, pred):.3f}\t{macro_f1(truth, pred):.3f}")

    gold_pain = [r["pain"].strip() == "1" for r in rows]
    ours = [extract(t).pain for t in texts]
    keyword = [bool(_KEYWORD_PAIN.search(t)) for t in texts]
    print(f"\n## held-out pain signal ({sum(gold_pain)} positives)\nmethod\trecall\tprecision")
    for name, got in (("ours (sites + negation)", ours), ("keyword baseline", keyword)):
        recall, precision = _recall_precision(gold_pain, got)
        print(f"{name}\t{recall:.3f}\t{precision:.3f}")
    _intents(args.rasa_url)
    _languages(repeats)


def _intents(rasa_url: str | None) -> None:
    from nlu.intents import default_intent_classifier
    from nlu.rasa_client import RasaIntentClient

    lines = [
        line.rstrip("\n").split("\t")
        for line in INTENT_EVAL.read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith(("#", "intent\t"))
    ]
    gold = [row[0] for row in lines]
    texts = [row[1] for row in lines]
    print(f"\n## held-out intents ({len(texts)} texts, {len(set(gold))} intents)\nmethod\taccuracy")
    ours = [str(p) for p in default_intent_classifier().predict(texts)]
    print(f"ours (tf-idf word+char, logreg)\t{accuracy_str(gold, ours)}")
    if rasa_url is None:
        print("rasa\tnot measured (pass --rasa-url http://127.0.0.1:5005)")
        return
    client = RasaIntentClient(rasa_url, timeout_s=5.0)
    try:
        rasa = [client.parse_remote(t)[0] for t in texts]
    except Exception as exc:  # the server is optional here; say why it was skipped
        print(f"rasa\tnot measured ({type(exc).__name__}: {exc})")
        return
    print(f"rasa 3.6 (count vectors, logreg)\t{accuracy_str(gold, rasa)}")


def accuracy_str(gold: list[str], pred: list[str]) -> str:
    """Share of exact matches, 3 decimals."""
    return f"{sum(g == p for g, p in zip(gold, pred, strict=True)) / len(gold):.3f}"


def _per_message_ms(fn, texts: list[str], repeats: int) -> float:  # type: ignore[no-untyped-def]
    """Best-of-repeats time per text, in milliseconds, calling ``fn`` once per text."""
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        for text in texts:
            fn(text)
        best = min(best, time.perf_counter() - start)
    return best / len(texts) * 1000.0


def _languages(repeats: int) -> None:
    """Reading a check-in before and after languages, side by side; lingua's two modes."""
    from lingua import Language, LanguageDetectorBuilder

    from nlu.checkin_eval import EVAL_DIR, TUNE_DIR, load_checkins
    from nlu.detect import LINGUA_SUPPORTED, OTHERS, detect_language, words_of
    from nlu.intents import default_intent_classifier
    from nlu.reading import read_checkin
    from nlu.vader import default_vader

    codes = ("en", "es", "de", "ru", "zh")
    english = [i.text for i in load_checkins(EVAL_DIR / "en.yml")]
    every = [i.text for c in codes for i in load_checkins(EVAL_DIR / f"{c}.yml")]
    vader, intents = default_vader(), default_intent_classifier()
    engine = NluEngine("vader")

    def before(text: str) -> object:
        sentiment = vader.score(text)  # what NluEngine("vader").parse did, English only
        return extract(text, intent=intents.rank(text)[0][0]), sentiment

    for warm in every:  # load lingua's models, SnowNLP and the lexicons before timing
        engine.parse(warm)
        before(warm)
    print("\n## languages: per-message time, ms (best of repeats, one text at a time)")
    print("texts\tbefore (English rules)\tafter (languages)\tratio")
    for name, texts in (("English held-out (48)", english), ("all five languages", every)):
        for what, old, new in (
            ("extraction", extract, read_checkin),
            ("parse (vader backend)", before, engine.parse),
        ):
            t_old = _per_message_ms(old, texts, repeats)
            t_new = _per_message_ms(new, texts, repeats)
            print(f"{name}, {what}\t{t_old:.3f}\t{t_new:.3f}\t{t_new / t_old:.1f}x")
    t_detect = _per_message_ms(detect_language, every, repeats)
    print(f"language detection alone (all five)\t\t{t_detect:.3f}")

    _language_sentiment()

    tune = [
        (i.language, i.text)
        for c in (*codes, "other")
        for i in load_checkins(TUNE_DIR / f"{c}.yml")
    ]
    ours = set(codes)

    def right(label: str, code: str | None, supported: bool) -> bool:
        return (not supported) if label not in ours else code in (label, None)

    all_languages = [getattr(Language, n) for n in (*LINGUA_SUPPORTED.values(), *OTHERS)]
    print(f"\n## language of the {len(tune)} tuning check-ins (unsupported ones: marked so)")
    print("detector\taccuracy\tms/message")
    for mode in ("one high-accuracy detector, 18 languages", "one low-accuracy, 18"):
        builder = LanguageDetectorBuilder.from_languages(*all_languages)
        if "low" in mode:
            builder = builder.with_low_accuracy_mode()
        detector = builder.build()
        texts = [words_of(t) for _, t in tune]
        for text in texts:
            detector.detect_language_of(text)
        hits = 0
        for (label, _), text in zip(tune, texts, strict=True):
            found = detector.detect_language_of(text)
            code = found.iso_code_639_1.name.lower() if found else None
            hits += right(label, code, code in ours or code is None)
        ms = _per_message_ms(detector.compute_language_confidence_values, texts, repeats)
        print(f"{mode}\t{hits / len(tune):.3f}\t{ms:.3f}")
    guesses = [detect_language(t) for _, t in tune]
    hits = sum(right(lab, g.code, g.supported) for (lab, _), g in zip(tune, guesses, strict=True))
    ms = _per_message_ms(detect_language, [t for _, t in tune], repeats)
    used = "nlu.detect (used: high over 5 + low over 18, known words)"
    print(f"{used}\t{hits / len(tune):.3f}\t{ms:.3f}")


def _language_sentiment() -> None:
    """Held-out 3-class accuracy of each component alone and of the shipped ensemble.

    Each single component gets the threshold it would be tuned to alone, on the tuning set
    (never the held-out one); the ensemble is the shipped ``weights.json``.
    """
    from nlu.checkin_eval import EVAL_DIR, TUNE_DIR, load_checkins
    from nlu.ensemble import ensemble_level
    from nlu.lang import SPECS
    from nlu.multi_sentiment import MultilingualSentiment
    from nlu.sentiment_weights import tune_language

    shipped, bare = MultilingualSentiment(), MultilingualSentiment(weights={})
    print("\n## held-out sentiment per language (accuracy): components alone vs ensemble")
    print("language\tlexicon\tvader\tsnownlp\tensemble (shipped weights)")
    for code in sorted(SPECS):
        tune = load_checkins(TUNE_DIR / f"{code}.yml")
        held = load_checkins(EVAL_DIR / f"{code}.yml")
        tune_parts = [bare.components(i.text, code) for i in tune]
        held_parts = [bare.components(i.text, code) for i in held]
        truth = [int(i.sentiment or 0) for i in held]
        cells = []
        for name in ("lexicon", "vader", "snownlp"):
            if name not in tune_parts[0]:
                cells.append("-")
                continue
            alone = tune_language(
                [int(i.sentiment or 0) for i in tune], {"lexicon": [p[name] for p in tune_parts]}
            )
            pred = [ensemble_level(p[name], alone.threshold) for p in held_parts]
            cells.append(f"{accuracy(truth, pred):.3f}")
        ours = [shipped.sentiment(i.text, code).level for i in held]
        print(f"{code}\t" + "\t".join(cells) + f"\t{accuracy(truth, ours):.3f}")


if __name__ == "__main__":
    main()
