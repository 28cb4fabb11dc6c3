"""The ``validate`` and ``leaderboard`` commands of ``python -m course_tools`` (`course_tools.cli`).

``validate FILE...`` prints ``FILE: ok`` for a valid file (followed by ``(note: ...)`` when it
follows an older schema version) and one line ``FILE: JSON.PATH: MESSAGE [CODE]`` per problem
otherwise; it exits 1 when any file is invalid, 0 when all are valid.
``leaderboard DIR [--out OUTDIR] [--reproduced FILE]`` prints the Markdown table and writes
``leaderboard.md`` and ``leaderboard.png`` to OUTDIR (default: DIR); it exits 0 when the
leaderboard was written (even an empty one) and 1 when DIR is not a directory or the outputs
cannot be written. With a ``reproduced.json`` (from ``reproduce``; read from DIR unless
``--reproduced`` names one) it ranks the re-measured numbers.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from course_tools.submissions.leaderboard import REPRODUCED_FILE, leaderboard
from course_tools.submissions.markdown import render_markdown
from course_tools.submissions.remeasured import remeasure
from course_tools.submissions.validation import check_file
from course_tools.submissions.versions import version_note

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


def add_subcommands(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register ``validate`` and ``leaderboard`` on the program's subparsers; each parsed namespace
    carries ``run(namespace) -> int``."""
    _configure_validate(
        subparsers.add_parser("validate", help="check submission files: schema, consistency, plausibility")
    )
    _configure_leaderboard(
        subparsers.add_parser("leaderboard", help="rank a folder of submissions; write Markdown and PNG")
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
