"""`coachloop sentiment | parse | nlu eval | train sentiment` contract."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from bot.commands.nlu import register

runner = CliRunner()


@pytest.fixture(scope="module")
def app() -> typer.Typer:
    app = typer.Typer()
    train = typer.Typer()
    app.add_typer(train, name="train")
    register(app, train)
    return app


def test_sentiment_prints_one_tsv_row_per_text(app: typer.Typer) -> None:
    result = runner.invoke(
        app, ["sentiment", "crushed it", "knee pain, awful", "--backend", "vader"]
    )
    assert result.exit_code == 0, result.output
    rows = [line.split("\t") for line in result.output.rstrip("\n").splitlines()]
    assert [r[0] for r in rows] == ["1", "2"]
    assert all(len(r) == 5 for r in rows)
    assert rows[0][2] == "1" and rows[1][2] == "-1"
    assert rows[0][4] == ""  # transformer did not run with --backend vader
    assert all(-1.0 <= float(r[1]) <= 1.0 for r in rows)


def test_sentiment_reads_stdin_with_file_dash(app: typer.Typer) -> None:
    result = runner.invoke(
        app, ["sentiment", "--file", "-", "--backend", "vader"], input="great\n\nawful\n"
    )
    assert result.exit_code == 0, result.output
    assert [line.split("\t")[0] for line in result.output.strip().splitlines()] == ["1", "2", "3"]


def test_parse_prints_one_json_object_per_line(app: typer.Typer, tmp_path: Path) -> None:
    src = tmp_path / "in.txt"
    src.write_text("rpe 7, 1h15 run, slept 6h\nno pain today\nmy left knee hurts\n")
    result = runner.invoke(app, ["parse", "--file", str(src), "--backend", "vader"])
    assert result.exit_code == 0, result.output
    objs = [json.loads(line) for line in result.output.strip().splitlines()]
    assert [o["line"] for o in objs] == [1, 2, 3]
    assert (objs[0]["rpe"], objs[0]["minutes"], objs[0]["sleep_h"]) == (7.0, 75.0, 6.0)
    assert objs[1]["pain"] is False
    assert objs[2]["pain"] is True and objs[2]["pain_sites"] == ["knee"]
    assert {"sentiment", "intent", "pain_sites"} <= set(objs[0])
    assert all({"sentiment", "intent", "rpe"} <= set(o["confidence"]) for o in objs)


def test_nlu_eval_prints_accuracy_macro_f1_and_fields(app: typer.Typer, tmp_path: Path) -> None:
    data = tmp_path / "eval.tsv"
    data.write_text(
        "label\ttext\trpe\tminutes\tpain\n"
        "1\tgreat run, rpe 5\t5\t\t0\n"
        "-1\tknee pain, 30 min\t\t30\t1\n"
        "0\tran 8 km\t\t\t0\n"
    )
    result = runner.invoke(app, ["nlu", "eval", "--file", str(data), "--backend", "vader"])
    assert result.exit_code == 0, result.output
    out = dict(line.split("\t") for line in result.output.strip().splitlines())
    assert out["n"] == "3"
    assert {"accuracy", "macro_f1", "rpe_accuracy", "minutes_accuracy", "pain_recall"} <= set(out)
    assert float(out["pain_recall"]) == 1.0


def test_missing_file_is_a_clear_usage_error(app: typer.Typer) -> None:
    result = runner.invoke(app, ["sentiment", "--file", "/no/such/file.txt"])
    assert result.exit_code != 0


@pytest.mark.slow
def test_train_sentiment_writes_head_and_manifest(app: typer.Typer, tmp_path: Path) -> None:
    corpus = tmp_path / "corpus.tsv"
    lines = ["label\ttext"]
    for i in range(10):
        lines += [f"1\tgreat session number {i}", f"0\tran {i} km", f"-1\tawful legs day {i}"]
    corpus.write_text("\n".join(lines) + "\n")
    out = tmp_path / "head"
    result = runner.invoke(
        app, ["train", "sentiment", "--seed", "1", "--corpus", str(corpus), "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["seed"] == 1 and manifest["metrics"]["n_train"] == 30
    assert (out / "head.npz").is_file()


def test_nlu_eval_prints_one_row_per_language_file(app: typer.Typer, tmp_path: Path) -> None:
    data = tmp_path / "es.yml"
    data.write_text(
        "language: es\ncheckins:\n"
        "- {text: 'una hora, esfuerzo 8, me duele la rodilla', sentiment: negative,"
        " pain: [knee], rpe: 8, minutes: 60}\n"
        "- {text: 'sin dolor, genial', sentiment: positive, pain: [], negated: true}\n",
        encoding="utf-8",
    )
    result = runner.invoke(app, ["nlu", "eval", "--file", str(data), "--backend", "vader"])
    assert result.exit_code == 0, result.output
    lines = [line for line in result.output.splitlines() if not line.startswith("#")]
    header, row = (line.split("\t") for line in lines)
    values = dict(zip(header, row, strict=True))
    assert values["language"] == "es" and values["n"] == "2"
    assert values["pain_recall"] == "1.000" and values["false_alarms"] == "0/1"
    assert values["rpe_accuracy"] == "1.000" and values["minutes_accuracy"] == "1.000"
    assert values["targets"] == "met"


def test_nlu_eval_check_fails_when_a_target_is_missed(app: typer.Typer, tmp_path: Path) -> None:
    data = tmp_path / "de.yml"
    data.write_text(
        "language: de\ncheckins:\n- {text: 'alles gut', sentiment: negative, pain: [knee]}\n",
        encoding="utf-8",
    )
    args = ["nlu", "eval", "--file", str(data), "--backend", "vader", "--check"]
    result = runner.invoke(app, args)
    assert result.exit_code == 1
    assert "de: pain recall" in result.output


def test_nlu_eval_refuses_a_malformed_language_file(app: typer.Typer, tmp_path: Path) -> None:
    data = tmp_path / "ru.yml"
    data.write_text("language: ru\ncheckins: nope\n", encoding="utf-8")
    result = runner.invoke(app, ["nlu", "eval", "--file", str(data), "--backend", "vader"])
    assert result.exit_code == 2
    assert "expected 'language' and a list of 'checkins'" in result.output


def test_train_sentiment_weights_writes_every_languages_weights(
    app: typer.Typer, tmp_path: Path
) -> None:
    out = tmp_path / "weights.json"
    result = runner.invoke(app, ["train", "sentiment-weights", "--out", str(out)])
    assert result.exit_code == 0, result.output
    weights = json.loads(out.read_text())
    assert {"es", "de", "ru", "zh", "tune_sha256"} <= set(weights)
