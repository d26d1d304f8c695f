"""Fitness-test data in and explanations out: `import-tests`, `explain`, `cohort`.

`coachloop import-tests` stores fitness-test results from a CSV, with a column mapping.

The same checks as the chat's ``/test`` (one range table, `models.items.TEST_RANGES`),
plus the prescription paper's fifteen 200 m lap splits (``lap_01_s`` ... ``lap_15_s``), so
"fading late laps -> aerobic volume" can fire for a real athlete. A row is all-or-nothing, like
a ``/test`` message: one bad value skips the whole row, and every skipped row is counted on
stderr by reason. An empty cell is an item not taken, not an error. Results are stored only for
athletes who consented to health data (ARCHITECTURE.md, Storage).

`coachloop explain` gives one CSV row's SHAP factors, deficiencies and emphasis from a
registered classifier; `coachloop cohort` writes the SYNTHETIC cohort. Both are a stable
contract (docs/models.md).

Heavy libraries are imported inside the commands so `coachloop --help` stays fast.
"""

from __future__ import annotations

import csv as csv_module
import datetime as dt
import json
import math
from collections import Counter
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Annotated, Final

import typer

from bot.commands.train import fail, read_csv, user_model_dir
from bot.config import load_settings
from models.items import LAP_ITEMS, N_LAPS
from storage.db import open_database
from storage.fitness_tests import add_results
from storage.people import find_person, has_consent

PROGRESS_MIN_ROWS: Final = 500
"""Files with at least this many rows get a tqdm progress bar (on stderr)."""

SKIP_REASONS: Final[dict[str, str]] = {
    "athlete": "athlete missing",
    "unknown": "no such athlete",
    "consent": "athlete has not consented to health data",
    "date": "date missing or not an ISO date",
    "number": "a value is not a number",
    "range": "a value is outside the /test range",
    "empty": "no test value in the row",
}


def item_ranges() -> dict[str, tuple[float, float, str]]:
    """``{item: (low, high, unit)}``: the chat's ``/test`` table plus the lap splits.

    A 200 m split is 1/15 of a 3000 m run; its range is the /test 3000 m range divided by 15,
    widened to 0.75x below (a finishing kick is faster than even pace) and 1.5x above (a walked
    lap in a fading run): with the 480-3000 s 3000 m range that is 24-300 s.
    """
    from models.items import TEST_RANGES

    ranges = {item: (float(lo), float(hi), unit) for item, (lo, hi, unit, _) in TEST_RANGES.items()}
    low, high, _ = ranges["run_3000m_s"]
    for lap in LAP_ITEMS:
        ranges[lap] = (0.75 * low / N_LAPS, 1.5 * high / N_LAPS, "s")
    return ranges


def parse_mapping(
    text: str, columns: list[str], ranges: Mapping[str, object]
) -> dict[str, str]:
    """``{item: column}``: columns named like an item, overridden by ``item=column,...``."""
    mapping = {item: item for item in ranges if item in columns}
    for part in (p.strip() for p in text.split(",") if p.strip()):
        item, sep, column = (s.strip() for s in part.partition("="))
        if not sep or not item or not column:
            raise ValueError(f"--map entry {part!r}: write ITEM=COLUMN")
        if item not in ranges:
            raise ValueError(f"--map: unknown test item {item!r}; items: {', '.join(ranges)}")
        if column not in columns:
            raise ValueError(f"--map: column {column!r} not in the CSV; it has {columns}")
        mapping[item] = column
    if not mapping:
        raise ValueError(
            "no column maps to a test item: name columns like the items "
            f"({', '.join(list(ranges)[:4])}, ...) or pass --map ITEM=COLUMN"
        )
    return mapping


@dataclass
class ParsedRows:
    """Valid results grouped by (athlete reference, day), the rows read, and skips by reason."""

    results: dict[tuple[str, dt.date], dict[str, tuple[float, str]]] = field(default_factory=dict)
    rows_used: dict[tuple[str, dt.date], int] = field(default_factory=dict)
    read: int = 0
    skipped: Counter[str] = field(default_factory=Counter)


def _number(text: str) -> float | None:
    try:
        value = float(text.strip().replace(",", "."))
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def parse_rows(
    rows: list[dict[str, str]],
    athlete_col: str,
    mapping: Mapping[str, str],
    ranges: Mapping[str, tuple[float, float, str]],
    date_col: str | None,
    default_day: dt.date,
) -> ParsedRows:
    """Validate every row (all-or-nothing per row); a later row for the same day overrides."""
    from bot.commands.load import parse_day

    out = ParsedRows(read=len(rows))
    for raw in rows:
        athlete = (raw.get(athlete_col) or "").strip()
        day = parse_day(raw.get(date_col) or "") if date_col else default_day
        if not athlete:
            out.skipped["athlete"] += 1
            continue
        if day is None:
            out.skipped["date"] += 1
            continue
        values: dict[str, tuple[float, str]] = {}
        problem = ""
        for item, column in mapping.items():
            text = (raw.get(column) or "").strip()
            if not text:
                continue
            number = _number(text)
            low, high, unit = ranges[item]
            if number is None:
                problem = "number"
                break
            if not low <= number <= high:
                problem = "range"
                break
            values[item] = (number, unit)
        if problem or not values:
            out.skipped[problem or "empty"] += 1
            continue
        key = (athlete, day)
        out.results.setdefault(key, {}).update(values)
        out.rows_used[key] = out.rows_used.get(key, 0) + 1
    return out


@dataclass
class _Stored:
    """What was stored for one athlete (for the command's report)."""

    name: str
    days: set[dt.date] = field(default_factory=set)
    values: int = 0


def _summary(parsed: ParsedRows, imported_rows: int) -> str:
    skipped = sum(parsed.skipped.values())
    parts = ", ".join(
        f"{SKIP_REASONS[k]}: {parsed.skipped[k]}" for k in SKIP_REASONS if parsed.skipped[k]
    )
    text = (
        f"coachloop import-tests: {parsed.read} rows read, {imported_rows} imported, "
        f"{skipped} skipped"
    )
    return text + (f" ({parts})" if parts else "")


def import_tests(
    csv: Annotated[Path, typer.Option("--csv", help="CSV with one row per athlete and test day")],
    athlete_col: Annotated[
        str, typer.Option("--athlete-col", help="column with the athlete id, @username or name")
    ],
    mapping: Annotated[
        str,
        typer.Option(
            "--map",
            help="ITEM=COLUMN,... for columns not named like the items (pull_ups, lap_01_s ...)",
        ),
    ] = "",
    date_col: Annotated[
        str | None, typer.Option("--date-col", help="ISO date of the test (default --date)")
    ] = None,
    date: Annotated[
        str | None, typer.Option("--date", help="ISO date for every row (default today, UTC)")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="print what was stored as JSON")] = False,
) -> None:
    """Import fitness-test results from a CSV (same ranges as /test, lap splits included)."""
    from tqdm import tqdm


    try:
        default_day = dt.date.fromisoformat(date) if date else dt.datetime.now(dt.UTC).date()
    except ValueError as exc:
        raise _fail(f"--date {date!r} is not an ISO date (YYYY-MM-DD)") from exc
    if not csv.is_file():
        raise _fail(f"no such file: {csv}")
    with csv.open(newline="", encoding="utf-8-sig") as handle:
        reader = csv_module.DictReader(handle)
        columns = list(reader.fieldnames or [])
        rows = list(reader)
    missing = [c for c in (athlete_col, date_col) if c and c not in columns]
    if missing:
        raise _fail(f"column(s) {missing} not in {csv.name}; it has {columns}")
    ranges = item_ranges()
    try:
        items = parse_mapping(mapping, columns, ranges)
    except ValueError as exc:
        raise _fail(str(exc)) from exc
    parsed = parse_rows(rows, athlete_col, items, ranges, date_col, default_day)
    database = open_database(load_settings().resolved_database_url)
    database.upgrade()
    stored: dict[int, _Stored] = {}
    imported_rows = 0
    with database.session() as session:
        athletes: dict[str, tuple[int, str, bool] | None] = {}
        bar = tqdm(
            parsed.results.items(), desc="storing tests", unit="day",
            disable=len(rows) < PROGRESS_MIN_ROWS,
        )
        for (ref, day), values in bar:
            if ref not in athletes:
                person = find_person(session, ref)
                athletes[ref] = (
                    None if person is None
                    else (person.id, person.display_name, has_consent(person))
                )
            found = athletes[ref]
            if found is None or not found[2]:
                reason = "unknown" if found is None else "consent"
                parsed.skipped[reason] += parsed.rows_used[(ref, day)]
                continue
            person_id, name, _ = found
            add_results(session, person_id, day, values)
            imported_rows += parsed.rows_used[(ref, day)]
            entry = stored.setdefault(person_id, _Stored(name))
            entry.days.add(day)
            entry.values += len(values)
    typer.echo(_summary(parsed, imported_rows), err=True)
    summary = [
        {"person_id": pid, "name": e.name, "days": len(e.days), "values": e.values}
        for pid, e in stored.items()
    ]
    if as_json:
        typer.echo(json.dumps({"stored": summary, "skipped": dict(parsed.skipped)}, indent=2))
    else:
        for item in summary:
            typer.echo(
                f"{item['name']} (#{item['person_id']}): {item['values']} values on "
                f"{item['days']} test day(s)"
            )
    if not imported_rows and parsed.read:
        raise typer.Exit(code=1)


def explain(
    csv: Annotated[Path, typer.Option("--csv")],
    row: Annotated[int, typer.Option("--row", help="0-based row number in the CSV")],
    model: Annotated[str, typer.Option("--model", help="registered model name")] = "classifier",
    adverse: Annotated[str, typer.Option("--adverse", help="classes counted as unhealthy")] = "",
    as_json: Annotated[bool, typer.Option("--json")] = False,
    summary_plot: Annotated[
        Path | None, typer.Option("--summary-plot", help="SHAP summary PNG")
    ] = None,
) -> None:
    """SHAP factors on the original test items, the top deficiencies and their emphasis."""
    from models import registry
    from models.explain import explain_row, sex_of_rows, shap_values
    from models.features import design_matrix, parse_list

    frame = read_csv(csv)
    if not 0 <= row < len(frame):
        raise fail(f"--row must be between 0 and {len(frame) - 1}")
    try:
        art = registry.load_current(model, user_model_dir())
        extra = art.manifest.extra
        X, _ = design_matrix(
            frame, extra["features"], list(extra["categorical"]), extra["categorical"]
        )
        estimator = art.objects["model.joblib"]
        background = art.objects["background.joblib"]
        X = X[list(background.columns)]
        sexes = sex_of_rows(frame) if "sex" in frame.columns else None
        background_sex = extra.get("background_sex")
        result = explain_row(
            estimator,
            background,
            X.iloc[[row]],
            adverse=parse_list(adverse),
            sex=sexes[row] if sexes else None,
            background_sex=background_sex,
        )
    except (ValueError, FileNotFoundError, KeyError) as err:
        raise fail(str(err)) from err
    if summary_plot is not None:
        from models.explain import badness_weights
        from models.figures import shap_summary_png

        sample = X.sample(min(20, len(X)), random_state=0)
        weights = badness_weights([str(c) for c in estimator.classes_], parse_list(adverse))
        explained = shap_values(
            estimator,
            background,
            sample,
            weights=weights,
            sexes=[sexes[X.index.get_loc(i)] for i in sample.index] if sexes else None,
            background_sex=background_sex,
        )
        shap_summary_png(explained.values, explained.columns, summary_plot)
    if as_json:
        payload = asdict(result)
        payload["model"] = {"name": model, "version": art.manifest.version, "path": str(art.path)}
        typer.echo(json.dumps(payload, indent=2))
        return
    probs = ", ".join(f"{c} {p:.2f}" for c, p in result.probabilities.items())
    typer.echo(f"row {row}: predicted {result.predicted_class} ({probs})")
    typer.echo(
        f"explained: {result.target}; base {result.base_value:.3f} -> {result.output:.3f}"
        f" [{result.method}]"
    )
    typer.echo(f"compared with: {result.comparison}")
    for f in result.factors[:10]:
        typer.echo(f"   {f.feature:24} {f.value:10.2f}  {f.contribution:+.4f}")
    if result.deficiencies:
        for d in result.deficiencies:
            typer.echo(f"deficiency: {d.feature} -> emphasis: {d.emphasis} ({d.contribution:+.3f})")
    else:
        typer.echo("no deficiency: no weak item pushes toward a less healthy class")
    if summary_plot is not None:
        typer.echo(f"SHAP summary: {summary_plot}")


def cohort(
    out: Annotated[Path, typer.Option("--out", help="CSV path to write")],
    n: Annotated[int, typer.Option("--n", min=1)] = 1500,
    seed: Annotated[int, typer.Option("--seed")] = 0,
) -> None:
    """Write a SYNTHETIC cohort (both papers' batteries; column `synthetic` is true)."""
    from models.cohort import generate_cohort

    frame = generate_cohort(n, seed)
    out.parent.mkdir(parents=True, exist_ok=True)
    frame.to_csv(out, index=False)
    typer.echo(f"wrote {len(frame)} synthetic rows to {out}")


def _fail(message: str) -> typer.Exit:
    typer.echo(f"coachloop import-tests: {message}", err=True)
    return typer.Exit(code=2)


def register(app: typer.Typer, train: typer.Typer) -> None:
    """Add ``import-tests``, ``explain`` and ``cohort`` to the coachloop app."""
    app.command("import-tests")(import_tests)
    app.command("explain")(explain)
    app.command("cohort")(cohort)
