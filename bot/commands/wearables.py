"""`coachloop import` and `coachloop activities`: wearable files in, stored sessions out.

`import` logs as `coachloop chat` does (``bot.wiring.configure_logging``, to ``coachloop.log``
under the data directory, so log lines do not break the progress bar or ``--json``): every
refusal is a WARNING line with person id, file type, size and reason, never a health value.

Heavy libraries are imported inside the commands so `coachloop --help` stays fast.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from bot.config import load_settings
from storage.activities import activity_as_dict, list_activities
from storage.db import open_database
from storage.people import find_person

if TYPE_CHECKING:
    from bot.uploads import UploadResult
    from storage.db import Database


def _open(person_ref: str) -> tuple[Database, int, str]:
    """(database, person id, display name) or exit with a message."""
    settings = load_settings()
    database = open_database(settings.resolved_database_url)
    database.upgrade()
    with database.session() as session:
        person = find_person(session, person_ref)
        if person is None:
            typer.echo(f"no athlete matches {person_ref!r} (use an id, @username or name)")
            raise typer.Exit(code=2)
        return database, person.id, person.display_name


def _expand(paths: list[Path]) -> list[Path]:
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files.extend(sorted(p for p in path.rglob("*") if p.is_file()))
        else:
            files.append(path)
    return files


def register(app: typer.Typer, train: typer.Typer) -> None:
    """Add this area's commands to the coachloop app and its train group."""

    @app.command("import")
    def import_files(
        paths: Annotated[list[Path], typer.Argument(help="FIT/GPX/TCX/CSV/RR files or folders")],
        athlete: Annotated[str, typer.Option("--athlete", help="athlete id, @username or name")],
        json_out: Annotated[bool, typer.Option("--json", help="print results as JSON")] = False,
    ) -> None:
        """Import wearable files for an athlete (each file once, by content hash)."""
        from tqdm import tqdm

        from bot.uploads import import_upload, refuse, refuse_oversized
        from bot.wiring import configure_logging

        settings = load_settings()
        settings.data_dir.mkdir(parents=True, exist_ok=True)
        log_file = settings.data_dir / "coachloop.log"
        configure_logging(settings, log_file=log_file)
        database, person_id, name = _open(athlete)
        limit = settings.max_upload_bytes
        files = _expand(paths)
        results: list[UploadResult] = []
        for path in tqdm(files, desc="importing", unit="file", disable=len(files) < 2):
            if not path.is_file():
                results.append(refuse(person_id, path.name, 0, b"", "no such file",
                                      f"{path} does not exist"))
                continue
            size = path.stat().st_size
            if size > limit:  # checked before reading: a 200 MiB file never enters memory
                with path.open("rb") as handle:
                    head = handle.read(8192)
                results.append(refuse_oversized(person_id, path.name, size, limit, head))
                continue
            data = path.read_bytes()
            results.append(import_upload(database, person_id, path.name, data, limit))
        if json_out:
            typer.echo(json.dumps([_as_dict(r) for r in results], indent=2))
            return
        for result in results:
            typer.echo(f"[{result.status}] {result.message}")
        statuses = ("imported", "duplicate", "refused")
        counts = {s: sum(r.status == s for r in results) for s in statuses}
        days_already = sum(r.days_already_imported for r in results)
        typer.echo(
            f"{name}: {counts['imported']} imported, {counts['duplicate']} already imported, "
            f"{counts['refused']} refused"
            + (f" ({days_already} days already imported)" if days_already else "")
        )
        if counts["refused"]:
            typer.echo(f"refusals are logged in {log_file}", err=True)
        if counts["refused"] and not counts["imported"] and not counts["duplicate"]:
            raise typer.Exit(code=1)

    @app.command("activities")
    def activities(
        athlete: Annotated[str, typer.Option("--athlete", help="athlete id, @username or name")],
        json_out: Annotated[bool, typer.Option("--json", help="print as JSON")] = False,
        days: Annotated[bool, typer.Option("--days", help="include day summaries")] = False,
        limit: Annotated[int, typer.Option(help="at most this many, newest first")] = 100,
    ) -> None:
        """List an athlete's stored sessions (newest first)."""
        database, person_id, _ = _open(athlete)
        with database.session() as session:
            rows = [
                activity_as_dict(a)
                for a in list_activities(session, person_id, include_days=days, limit=limit)
            ]
        if json_out:
            typer.echo(json.dumps(rows, indent=2, default=str))
            return
        for row in rows:
            typer.echo(
                f"{row['start'] or row['day'] or '?':26} {row['sport'] or '-':12} "
                f"{_fmt(row['duration_s'], 60, 'min')} {_fmt(row['distance_m'], 1000, 'km')} "
                f"HR {_fmt(row['hr_avg'])}/{_fmt(row['hr_max'])} TRIMP {_fmt(row['trimp'])} "
                f"RMSSD {_fmt(row['rmssd_ms'])}"
            )


def _fmt(value: object, scale: float = 1.0, unit: str = "") -> str:
    if not isinstance(value, int | float):
        return "-"
    return f"{value / scale:.1f}{(' ' + unit) if unit else ''}"


def _as_dict(result: UploadResult) -> dict[str, object]:
    return {
        "file": result.file_name,
        "status": result.status,
        "message": result.message,
        "activity_ids": result.activity_ids,
        "records": result.records,
        "warnings": result.warnings,
        "days_already_imported": result.days_already_imported,
    }
