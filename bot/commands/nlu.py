"""NLU commands: ``sentiment``, ``parse``, ``nlu eval``, ``train sentiment`` and
``train sentiment-weights``.

Output formats are a stable contract (used to evaluate on outside data):
- ``sentiment``: one TSV row per input line: line number, score, level, vader score,
  transformer score (empty when that backend did not run).
- ``parse``: one JSON object per input line.
- ``nlu eval``: one TSV row per language (header first), or key-value lines for a TSV file.

Heavy libraries are imported inside the commands so `coachloop --help` stays fast.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from bot.config import load_settings

TextArg = Annotated[list[str] | None, typer.Argument(help="Texts; each is one input line.")]
FileOpt = Annotated[
    Path | None, typer.Option("--file", "-f", help="Read one text per line; '-' reads stdin.")
]
BackendOpt = Annotated[
    str | None,
    typer.Option("--backend", "-b", help="vader | transformer | ensemble (default: settings)."),
]


def _lines(texts: list[str] | None, file: Path | None) -> list[str]:
    if file is not None:
        if str(file) == "-":
            return sys.stdin.read().splitlines()
        if not file.is_file():
            raise typer.BadParameter(f"{file} does not exist.", param_hint="--file")
        return file.read_text(encoding="utf-8").splitlines()
    if texts:
        return list(texts)
    raise typer.BadParameter("Give TEXT arguments or --file PATH (use '-' for stdin).")


def _engine(backend: str | None) -> Any:
    from nlu import NluEngine

    settings = load_settings()
    chosen = backend or settings.nlu_backend
    if chosen not in ("vader", "transformer", "ensemble", "rasa"):
        raise typer.BadParameter(
            f"unknown backend {chosen!r}; choose vader, transformer or ensemble.",
            param_hint="--backend",
        )
    return NluEngine.create(
        chosen,
        model_dir=settings.resolved_model_dir,
        hf_model=settings.sentiment_hf_model,
        rasa_url=settings.rasa_url,
    )


def _fmt(value: float | None) -> str:
    return "" if value is None else f"{value:.4f}"


def _fail(exc: Exception) -> typer.Exit:
    typer.echo(f"error: {exc}", err=True)
    return typer.Exit(code=2)


def register(app: typer.Typer, train: typer.Typer) -> None:
    """Add this area's commands to the coachloop app and its train group."""
    nlu_app = typer.Typer(help="NLU evaluation tools.", no_args_is_help=True)
    app.add_typer(nlu_app, name="nlu")

    @app.command("sentiment")
    def sentiment(texts: TextArg = None, file: FileOpt = None, backend: BackendOpt = None) -> None:
        """Score sentiment: TSV of line, score [-1,1], level, vader score, transformer score."""
        from nlu import NluError

        lines = _lines(texts, file)
        try:
            results = _engine(backend).sentiment_many(lines)
        except NluError as exc:
            raise _fail(exc) from exc
        for number, result in enumerate(results, start=1):
            row = [
                str(number),
                _fmt(result.score),
                str(result.level),
                _fmt(result.backends.get("vader")),
                _fmt(result.backends.get("transformer")),
            ]
            typer.echo("\t".join(row))

    @app.command("parse")
    def parse(texts: TextArg = None, file: FileOpt = None, backend: BackendOpt = None) -> None:
        """Extract check-in fields: one JSON object per input line."""
        from nlu import NluError

        lines = _lines(texts, file)
        try:
            reports = _engine(backend).parse_many(lines)
        except NluError as exc:
            raise _fail(exc) from exc
        for number, rep in enumerate(reports, start=1):
            sent = rep.sentiment
            obj = {
                "line": number,
                "rpe": rep.rpe,
                "minutes": rep.minutes,
                "sleep_h": rep.sleep_h,
                "distance_km": rep.distance_km,
                "pain": rep.pain,
                "pain_sites": list(rep.pain_sites),
                "pain_sides": rep.pain_sides,
                "watch_sites": list(rep.watch_sites),
                "exercises": list(rep.exercises),
                "wellness": {
                    k: getattr(rep, k)
                    for k in ("sleep_quality", "fatigue", "soreness", "stress", "mood")
                    if getattr(rep, k) is not None
                },
                "sentiment": None
                if sent is None
                else {"score": sent.score, "level": sent.level, "backends": sent.backends},
                "intent": rep.intent,
                "confidence": {k: round(v, 3) for k, v in rep.confidence.items()},
                "rejected": rep.rejected,
                "language": rep.language,
                "language_supported": rep.language_supported,
            }
            typer.echo(json.dumps(obj, ensure_ascii=False))

    @nlu_app.command("eval")
    def evaluate(
        file: Annotated[
            Path | None,
            typer.Option(
                "--file",
                "-f",
                help="A labelled TSV (label, text[, rpe, minutes, pain]) or one language's "
                "check-ins (.yml). Default: every language's held-out set.",
            ),
        ] = None,
        data: Annotated[
            str, typer.Option(help="Without --file: 'eval' (held out) or 'tune' (tuning) sets.")
        ] = "eval",
        backend: BackendOpt = None,
        check: Annotated[
            bool, typer.Option("--check", help="Exit 1 when a language misses a target.")
        ] = False,
    ) -> None:
        """Per-language scores (pain recall, false alarms, RPE, minutes, sentiment) or a TSV's."""
        if file is not None and file.suffix == ".tsv":
            _evaluate_tsv(file, backend)
            return
        from nlu.checkin_eval import EVAL_DIR, TUNE_DIR, checkin_files

        if file is not None:
            if not file.is_file():
                raise typer.BadParameter(f"{file} does not exist.", param_hint="--file")
            files = [file]
        elif data in ("eval", "tune"):
            files = checkin_files(EVAL_DIR if data == "eval" else TUNE_DIR)
        else:
            raise typer.BadParameter("choose 'eval' or 'tune'.", param_hint="--data")
        missed = _evaluate_languages(files, backend)
        if check and missed:
            typer.echo(f"targets missed: {'; '.join(missed)}", err=True)
            raise typer.Exit(code=1)

    @train.command("sentiment-weights")
    def train_sentiment_weights(
        out: Annotated[
            Path | None,
            typer.Option(help="Output file (default: nlu/data/sentiment/weights.json)."),
        ] = None,
    ) -> None:
        """Choose each language's sentiment ensemble weights on its tuning check-ins."""
        from nlu.multi_sentiment import WEIGHTS_FILE
        from nlu.sentiment_weights import tune_all, write_weights

        try:
            weights = tune_all()
        except ValueError as exc:
            raise _fail(exc) from exc
        target = out or WEIGHTS_FILE
        write_weights(weights, target)
        typer.echo(f"saved {target}")
        for code, entry in sorted(weights.items()):
            if isinstance(entry, dict):
                parts = ", ".join(f"{k} {v:g}" for k, v in sorted(entry["weights"].items()))
                typer.echo(
                    f"{code}\t{parts}; threshold {entry['threshold']:g}; "
                    f"tuning accuracy {entry['tune_accuracy']:.3f} (n={entry['tune_n']})"
                )

    @train.command("sentiment")
    def train_sentiment(
        seed: Annotated[int, typer.Option(help="Random seed (CV folds, solver).")] = 0,
        corpus: Annotated[
            Path | None, typer.Option(help="Labelled TSV (default: nlu/data/sentiment_corpus.tsv).")
        ] = None,
        out: Annotated[
            Path | None,
            typer.Option(help="Output directory (default: <model dir>/sentiment-head)."),
        ] = None,
    ) -> None:
        """Train the sentiment head on MiniLM embeddings and tune the ensemble."""
        from tqdm import tqdm

        from nlu import NluError
        from nlu.sentiment_training import CORPUS, train_sentiment_head
        from nlu.sentiment_transformer import HEAD_NAME

        target = out or (load_settings().resolved_model_dir / HEAD_NAME)
        steps = ["load encoder", "embed", "cross-validate", "tune ensemble", "fit", "save"]
        with tqdm(total=len(steps), desc="train sentiment", unit="step") as bar:

            def progress(step: str) -> None:
                bar.set_postfix_str(step)
                bar.update(1)

            try:
                result = train_sentiment_head(corpus or CORPUS, seed=seed, progress=progress)
            except (NluError, ValueError) as exc:
                raise _fail(exc) from exc
            result.head.save(target)
            bar.set_postfix_str("save")
            bar.update(bar.total - bar.n)
        typer.echo(f"saved {target}")
        for key, value in result.metrics.items():
            typer.echo(f"{key}\t{value}")


_COLUMNS = (
    "language", "n", "language_accuracy", "pain_n", "pain_recall", "false_alarms",
    "negated_false_alarms", "site_accuracy", "rpe_accuracy", "minutes_accuracy",
    "sentiment_accuracy", "sentiment_macro_f1", "targets",
)  # fmt: skip


def _evaluate_languages(files: list[Path], backend: str | None) -> list[str]:
    """One TSV row of scores per language file; returns the targets missed, per language."""
    from nlu import NluError
    from nlu.checkin_eval import load_checkins, missed_targets, score_checkins

    missed: list[str] = []
    try:
        engine = _engine(backend)
        typer.echo(f"# backend (English) {engine.backend}")
        typer.echo("\t".join(_COLUMNS))
        for path in files:
            items = load_checkins(path)
            scores = score_checkins(items, engine.parse_many([i.text for i in items]))
            row = dict(scores.as_rows())
            lacks = missed_targets(scores)
            row["language"], row["targets"] = scores.language, "; ".join(lacks) or "met"
            typer.echo("\t".join(row.get(c, "") for c in _COLUMNS))
            missed += [f"{scores.language}: {m}" for m in lacks]
    except (NluError, ValueError) as exc:
        raise _fail(exc) from exc
    return missed


def _evaluate_tsv(file: Path, backend: str | None) -> None:
    """Accuracy, macro-F1 and per-field extraction accuracy on a labelled TSV."""
    from nlu import NluError
    from nlu.evaluation import load_eval_rows, score_rows

    if not file.is_file():
        raise typer.BadParameter(f"{file} does not exist.", param_hint="--file")
    try:
        rows = load_eval_rows(file)
        engine = _engine(backend)
        texts = [r["text"] for r in rows]
        reports = engine.parse_many(texts)  # each report carries its text's sentiment
        sentiments = [r.sentiment for r in reports]
        if any(x is None for x in sentiments):
            sentiments = engine.sentiment_many(texts)
        result = score_rows(rows, [x for x in sentiments if x is not None], reports)
    except (NluError, ValueError) as exc:
        raise _fail(exc) from exc
    typer.echo(f"backend\t{engine.backend}")
    typer.echo(f"n\t{result.n}")
    typer.echo(f"accuracy\t{result.accuracy:.4f}")
    typer.echo(f"macro_f1\t{result.macro_f1:.4f}")
    for name, value in result.fields.items():
        typer.echo(f"{name}_accuracy\t{value:.4f}")
    if result.pain_recall is not None:
        typer.echo(f"pain_recall\t{result.pain_recall:.4f}")
    if result.pain_precision is not None:
        typer.echo(f"pain_precision\t{result.pain_precision:.4f}")
