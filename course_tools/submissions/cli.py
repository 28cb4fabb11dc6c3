"""Command line: ``python -m course_tools.submissions validate FILE...``,
``python -m course_tools.submissions reproduce DIR [--out FILE]`` and
``python -m course_tools.submissions leaderboard DIR [--out OUTDIR] [--reproduced FILE]``.

``validate`` prints ``FILE: ok`` for a valid file (followed by ``(note: ...)`` when it follows an
older schema version) and one line ``FILE: JSON.PATH: MESSAGE [CODE]`` per problem otherwise; it exits 1 when any file is invalid, 0 when all are valid.
``leaderboard`` prints the Markdown table and writes ``leaderboard.md`` and ``leaderboard.png``
to OUTDIR (default: DIR); it exits 0 when the leaderboard was written (even an empty one) and
1 when DIR is not a directory or the outputs cannot be written. With a ``reproduced.json`` (from
``reproduce``; read from DIR unless ``--reproduced`` names one) it ranks the re-measured numbers.
``reproduce`` re-measures every submission with a model artifact (``course_tools.reproduce``),
prints progress and one verdict per file, writes ``reproduced.json`` (default: in DIR) and exits
0 when every submission was measured (whatever the verdicts), 1 when DIR is not a directory or
a timing setting cannot measure (``--rounds 0``, ``--looks 0``).

Each subcommand has a ``*_main(argv) -> int`` entry, and ``add_subcommands`` registers both on
another program's ``argparse`` subparsers.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from course_tools.submissions.leaderboard import REPRODUCED_FILE, leaderboard
from course_tools.submissions.markdown import render_markdown
from course_tools.submissions.remeasured import remeasure
from course_tools.submissions.validation import check_file
from course_tools.submissions.versions import version_note

SUBMISSION_COMMANDS = ("validate", "leaderboard")
LEADERBOARD_MARKDOWN = "leaderboard.md"
LEADERBOARD_PNG = "leaderboard.png"


def _configure_validate(parser: argparse.ArgumentParser) -> argparse.ArgumentParser:
    parser.add_argument("files", nargs="+", metavar="FILE", help="submission.json files to check")
    parser.set_defaults(run=_run_validate)
    return parser


def _configure_leaderboard(parser: argparse.ArgumentParser) -> argparse.ArgumentParser:
    parser.add_argument("directory", metavar="DIR", help="folder searched recursively for *.json submissions")
    parser.add_argument(
        "--out", metavar="OUTDIR", help="where to write leaderboard.md and leaderboard.png (default: DIR)"
    )
    parser.add_argument(
        "--reproduced",
        metavar="FILE",
        help="rank the re-measured numbers of this reproduced.json (default: DIR/reproduced.json when it exists)",
    )
    parser.set_defaults(run=_run_leaderboard)
    return parser


def _configure_reproduce(parser: argparse.ArgumentParser) -> argparse.ArgumentParser:
    parser.add_argument(
        "directory", metavar="DIR", help="folder searched recursively for submissions with a model artifact"
    )
    parser.add_argument("--out", metavar="FILE", help="where to write reproduced.json (default: DIR/reproduced.json)")
    parser.add_argument("--rounds", type=int, default=21, help="interleaved rounds (default: 21)")
    parser.add_argument("--runs", type=int, default=30, help="timed calls per block (default: 30)")
    parser.add_argument("--pause", type=float, default=0.25, help="seconds of sleep between rounds (default: 0.25)")
    parser.add_argument(
        "--looks", type=int, default=3, help="measurements at most of an artifact some claim outruns (default: 3)"
    )
    parser.add_argument("--look-gap", type=float, default=10.0, help="seconds between looks (default: 10)")
    parser.set_defaults(run=_run_reproduce)
    return parser


def _run_reproduce(arguments: argparse.Namespace) -> int:
    from course_tools.reproduce.run import reproduce, verdict_line, write_reproduced

    try:
        outcome = reproduce(
            arguments.directory,
            rounds=arguments.rounds,
            runs=arguments.runs,
            pause_s=arguments.pause,
            looks=arguments.looks,
            look_gap_s=arguments.look_gap,
            progress=lambda message: print(message, file=sys.stderr, flush=True),
        )
    except (NotADirectoryError, ValueError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    for item in outcome.submissions:
        print(verdict_line(item))
    path = write_reproduced(outcome, arguments.out or Path(arguments.directory) / REPRODUCED_FILE)
    print(f"wrote {path}", file=sys.stderr)
    return 0


def add_subcommands(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register ``validate`` and ``leaderboard`` on an existing subparsers object; each parsed
    namespace carries ``run(namespace) -> int``."""
    _configure_validate(
        subparsers.add_parser("validate", help="check submission files: schema, consistency, plausibility")
    )
    _configure_leaderboard(
        subparsers.add_parser("leaderboard", help="rank a folder of submissions; write Markdown and PNG")
    )
    _configure_reproduce(
        subparsers.add_parser("reproduce", help="re-measure every submission's model artifact side by side")
    )


def _run_validate(arguments: argparse.Namespace) -> int:
    any_invalid = False
    for name in arguments.files:
        checked = check_file(name)
        if checked.valid:
            note = version_note(checked.document)
            print(f"{name}: ok" + (f" (note: {note})" if note else ""))
            continue
        any_invalid = True
        for problem in checked.problems:
            print(f"{name}: {problem}")
    return 1 if any_invalid else 0


def _run_leaderboard(arguments: argparse.Namespace) -> int:
    from course_tools.submissions.plot import render_png  # matplotlib: only when a plot is drawn

    try:
        board = leaderboard(arguments.directory)
    except NotADirectoryError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    reproduced = Path(arguments.reproduced) if arguments.reproduced else Path(arguments.directory) / REPRODUCED_FILE
    if arguments.reproduced or reproduced.is_file():
        from course_tools.reproduce.run import read_reproduced

        try:
            board = remeasure(board, read_reproduced(reproduced))
        except (OSError, ValueError, KeyError, TypeError) as error:
            print(f"error: cannot read {reproduced}: {error}", file=sys.stderr)
            return 1
        print(f"ranking the re-measured numbers of {reproduced}", file=sys.stderr)
    markdown = render_markdown(board)
    print(markdown)
    out = Path(arguments.out) if arguments.out else Path(arguments.directory)
    try:
        out.mkdir(parents=True, exist_ok=True)
        markdown_path = out / LEADERBOARD_MARKDOWN
        markdown_path.write_text(markdown, encoding="utf-8")
        png_path = render_png(board, out / LEADERBOARD_PNG)
    except OSError as error:
        print(f"error: cannot write the leaderboard to {out}: {error}", file=sys.stderr)
        return 1
    print(f"wrote {markdown_path} and {png_path}", file=sys.stderr)
    return 0


def validate_main(argv: Sequence[str] | None = None) -> int:
    """``validate FILE...``; returns the exit status."""
    parser = _configure_validate(argparse.ArgumentParser(prog="python -m course_tools.submissions validate"))
    arguments = parser.parse_args(argv)
    exit_status: int = arguments.run(arguments)
    return exit_status


def leaderboard_main(argv: Sequence[str] | None = None) -> int:
    """``leaderboard DIR [--out OUTDIR]``; returns the exit status."""
    parser = _configure_leaderboard(argparse.ArgumentParser(prog="python -m course_tools.submissions leaderboard"))
    arguments = parser.parse_args(argv)
    exit_status: int = arguments.run(arguments)
    return exit_status


def main(argv: Sequence[str] | None = None) -> int:
    """``validate`` or ``leaderboard`` by the first argument; returns the exit status."""
    parser = argparse.ArgumentParser(prog="python -m course_tools.submissions", description=__doc__.split("\n\n")[0])
    subparsers = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    add_subcommands(subparsers)
    arguments = parser.parse_args(argv)
    exit_status: int = arguments.run(arguments)
    return exit_status
