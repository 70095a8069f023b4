"""The ``scr`` command line: a thin layer over :mod:`scr_lib.run` and friends."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from .problems import InputError


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
def run(params_file: Path, out_dir: Path | None):
    """Execute every notebook with PARAMS_FILE; write notebooks, results.json and site/.

    A failed run writes nothing and leaves any previous output as it was.

    Example:

        scr run params/pulse_2010.yaml --out build/my_story
    """
    from . import run as runner

    try:
        done = runner.run(params_file, out_dir, echo=lambda m: click.echo(m, err=True))
    except InputError as err:
        for problem in err.problems:
            click.echo(str(problem), err=True)
        sys.exit(1)
    except runner.RunError as err:
        click.echo(f"error: {err}", err=True)
        sys.exit(1)
    click.echo(f"results: {done.results_path}")
    click.echo(f"story pages: {done.site_dir / 'index.html'}")


def main():  # pragma: no cover - console entry point
    cli()


if __name__ == "__main__":  # pragma: no cover - python -m scr_lib.cli
    main()
