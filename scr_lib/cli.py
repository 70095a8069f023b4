"""The ``scr`` command line: a thin layer over :mod:`scr_lib.runner.run` and friends."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from . import interrupts
from .inputs.rounds import RoundError
from .problems import InputError

INTERRUPTED = "interrupted: nothing was published; any previous output is as it was"


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="scr-investigation")
def cli():
    """Reproduce Pulse's Summary Care Record findings from FOI data.

    Example:

        scr run params/pulse_2010.yaml
    """


@cli.command()
@click.argument("params_file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Output folder (default: build/<name>/ from the params file).")
@click.option("--force", is_flag=True, help="Execute every notebook, even those whose inputs are unchanged.")
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=None,
              help="Notebooks to execute at once (default and ceiling: the available cores).")
@click.option("--previous", "previous", type=click.Path(path_type=Path), default=None,
              help="An earlier run's folder to compare with (overrides the params file's previous_run).")
def run(params_file: Path, out_dir: Path | None, force: bool, jobs: int | None, previous: Path | None):
    """Execute the notebooks with PARAMS_FILE; write notebooks, results.json and site/.

    Only notebooks whose inputs changed since the last run into the same
    folder are executed again (inputs: the notebook's code, the params it
    declares and the files they point at, data/, scr_lib/); they run in
    parallel, one per core. A notebook whose prose alone changed keeps its
    outputs. With nothing changed the run returns at once. A failed run
    leaves the previous output as it was. A folder whose files were edited
    after its run is refused: --force rebuilds it.

    Example:

        scr run params/pulse_2010.yaml --out build/my_story

        scr run params/yours.yaml --previous build/pulse_2010
    """
    from .runner import run as runner

    try:
        with interrupts.terminate_as_interrupt() as terminated:
            done = runner.run(params_file, out_dir, echo=lambda m: click.echo(m, err=True), force=force, jobs=jobs,
                              previous=previous)
    except InputError as err:
        for problem in err.problems:
            click.echo(str(problem), err=True)
        sys.exit(1)
    except (runner.UsageError, RoundError) as err:
        click.echo(f"error: {err}", err=True)
        sys.exit(2)
    except runner.RunError as err:
        click.echo(f"error: {err}", err=True)
        sys.exit(1)
    except KeyboardInterrupt:
        click.echo(("terminated" if terminated else "interrupted") + INTERRUPTED[len("interrupted"):], err=True)
        sys.exit(143 if terminated else 130)
    click.echo(f"results: {done.results_path}")
    click.echo(f"story pages: {done.site_dir / 'index.html'}")


@cli.command()
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--sheet", default=None, help="The XLSX worksheet to read (default: the first visible one).")
def check(file: Path, sheet: str | None):
    """Check an FOI returns FILE (CSV or XLSX) without running anything.

    Prints every problem, one a line, as FILE:ROW:COLUMN: message (ROW as
    the spreadsheet numbers it, COLUMN as the file's header names it), then a
    one-line summary of what was read. Exits 1 if there is any problem, 0 if
    none. FILE may also be a params file (.yaml): its FOI file and sheet are
    checked, as `scr run` would.

    Example:

        scr check data/examples/followup_2011/foi_followup_2011.xlsx
    """
    from .inputs import foi
    from .findings import load_params

    if file.suffix.lower() in (".yaml", ".yml"):
        try:
            params = load_params(file)
        except InputError as err:
            for problem in err.problems:
                click.echo(str(problem))
            click.echo(f"{file}: params file not valid; {len(err.problems)} problem"
                       f"{'' if len(err.problems) == 1 else 's'}")
            sys.exit(1)
        file, sheet = Path(params.values["foi_returns"]), sheet or params.values.get("foi_sheet") or None
    found = foi.check(file, sheet)
    for problem in found.problems:
        click.echo(str(problem))
    click.echo(found.summary)
    sys.exit(1 if found.problems else 0)


def claims_text(checked, source: str) -> str:
    """The claims table as plain text: each claim's quote, as published, this run, and the verdict."""
    from .story import report
    from .verdict import Verdict

    table = report.claims_table(checked)
    width = max(len(v) for v in Verdict) + 2  # the longest verdict: the layout does not depend on the run
    lines = [f"Published claims and this run ({source}):", ""]
    for finding, rows in table.groupby(checked["finding"], sort=False):
        lines.append(f"{finding}")
        for claim, published, this_run, verdict in zip(rows["claim"], rows["as published"], rows["this run"],
                                                        rows["verdict"]):
            lines.append(f"  {verdict:<{width}}\"{claim}\"")
            lines.append(f"  {'':<{width}}as published: {published}; this run: {this_run}")
        lines.append("")
    counts = table["verdict"].value_counts()
    summary = ", ".join(f"{counts[v]:,} {v.plural if counts[v] != 1 else v}" for v in Verdict if v in counts)
    lines.append(f"{len(table):,} published figures: {summary}.")
    return "\n".join(lines)


@cli.command("claims")
@click.argument("run_dir", type=click.Path(file_okay=False, path_type=Path))
def claims_command(run_dir: Path):
    """Print the claims table of a finished run in RUN_DIR (its results.json).

    For each figure the articles publish: the quote, the value as published,
    the value in this run in the article's own wording ("one in six" may
    become "one in four"), and whether it still holds. Exits 0 whether or
    not claims moved; 1 only if RUN_DIR has no readable results.json, or
    a file in it was edited after the run that wrote it.

    Example:

        scr claims build/followup_2011
    """
    import json

    from .story import claims, results
    from .problems import display_path

    path = run_dir / "results.json"
    _refuse_edited(run_dir)
    try:
        values = results.load(path)
    except (OSError, ValueError) as err:  # ValueError: not JSON, or not UTF-8
        click.echo(f"{display_path(path)}:0:: no readable results.json ({err.__class__.__name__}): "
                   "run `scr run PARAMS --out DIR` first", err=True)
        sys.exit(1)
    try:
        text = claims_text(claims.check_all(values, context=True), display_path(path))
    except (TypeError, ValueError, KeyError, AttributeError) as err:
        click.echo(f"{display_path(path)}:0:: not a results.json that `scr run` wrote ({err.__class__.__name__}: "
                   f"{err}): run `scr run PARAMS --out DIR` again", err=True)
        sys.exit(1)
    click.echo(text)


@cli.command("draft")
@click.argument("draft_file", metavar="DRAFT", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.argument("run_dir", type=click.Path(file_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON, for machines.")
def draft_command(draft_file: Path, run_dir: Path, as_json: bool):
    """Check every number in a DRAFT story (.txt, .md or .docx) against the facts of the run in RUN_DIR.

    Each number is read with its subject (the area its sentence names, or
    the one named before, through "it" and "the trust"; England when the
    sentence says so) and its measure (the words near it), then looked up
    in the run's facts: supported (the fact matches at the printed
    precision), contradicted (it does not: the fact in words, the
    difference, and whose figure the number is when it is another's) or
    unchecked (no fact speaks to it, or its subject or measure is not
    clear). Each number is given with its paragraph and line. Years, dates,
    labels and durations are listed apart. Exits 1 when any number is
    contradicted or a file of the run was edited after the run that wrote
    it, 2 when the draft or the run folder cannot be read, 0 otherwise. See docs/rerunning.md, "Check a draft story".

    Example (from a fresh clone, the first line builds the run):

    \b
        scr run params/pulse_2010.yaml --out build/pulse_2010
        scr draft docs/examples/draft_pulse_2010.md build/pulse_2010
    """
    import json

    from .story import draft

    _refuse_edited(run_dir)
    try:
        base = draft.load_facts(run_dir)
        report = draft.check_draft(draft_file, base, run_dir)
    except draft.DraftError as err:
        click.echo(str(err), err=True)
        sys.exit(2)
    if as_json:
        click.echo(json.dumps(report.as_dict(), indent=2, ensure_ascii=False))
    else:
        click.echo(draft.table_text(report))
    sys.exit(1 if report.contradicted else 0)


def _refuse_edited(run_dir: Path) -> None:
    """Exit 1 with one line if a file of the run folder ``run_dir`` changed after the run that wrote it."""
    from .runner import publish

    problem = publish.edited(run_dir)
    if problem:
        click.echo(f"error: {problem}, so its figures are not that run's: run `scr run PARAMS --out "
                   f"{publish.shown(run_dir)} --force` again", err=True)
        sys.exit(1)


def main(args: list[str] | None = None) -> None:
    """The console entry point: the commands, with no Python traceback ever reaching the user.

    Usage errors print click's message and exit 2; Ctrl-C exits 130; a
    file-system error prints one line and exits 1; any other exception is a
    bug in scr, shown as one line (with ``SCR_DEBUG=1`` in the environment,
    the traceback too) and exit 1.
    """
    import os

    try:
        code = cli.main(args, prog_name="scr", standalone_mode=False)
    except click.ClickException as err:
        err.show()
        sys.exit(err.exit_code)
    except (click.Abort, KeyboardInterrupt):
        click.echo("interrupted", err=True)
        sys.exit(130)
    except OSError as err:
        where = f" ({err.filename})" if getattr(err, "filename", None) else ""
        click.echo(f"error: {err.strerror or err}{where}", err=True)
        sys.exit(1)
    except Exception as err:  # noqa: BLE001 - the last guard: one line, not a traceback
        if os.environ.get("SCR_DEBUG"):
            raise
        click.echo(f"error: unexpected {type(err).__name__}: {err}. This is a bug in scr: please report it with "
                   "the command you ran (SCR_DEBUG=1 shows where it happened)", err=True)
        sys.exit(1)
    sys.exit(code if isinstance(code, int) else 0)


if __name__ == "__main__":  # pragma: no cover - python -m scr_lib.cli
    main()
