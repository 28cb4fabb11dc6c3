"""The ``reproduce`` command of ``python -m course_tools`` (`course_tools.cli`).

``reproduce DIR [--out FILE]`` re-measures every submission with a model artifact, prints progress
(stderr) and one verdict per file, writes ``reproduced.json`` (default: in DIR) and exits 0 when
every submission was measured (whatever the verdicts), 1 when DIR is not a directory, a timing
setting cannot measure (``--rounds 0``, ``--looks 2``) or a look's process fails.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from course_tools.submissions.leaderboard import REPRODUCED_FILE


def add_subcommand(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register ``reproduce`` on the program's subparsers (the namespace carries ``run``)."""
    parser = subparsers.add_parser("reproduce", help="re-measure every submission's model artifact side by side")
    parser.add_argument(
        "directory", metavar="DIR", help="folder searched recursively for submissions with a model artifact"
    )
    parser.add_argument("--out", metavar="FILE", help="where to write reproduced.json (default: DIR/reproduced.json)")
    parser.add_argument("--rounds", type=int, default=7, help="interleaved rounds per look (default: 7)")
    parser.add_argument("--runs", type=int, default=30, help="timed calls per block (default: 30)")
    parser.add_argument("--pause", type=float, default=0.25, help="seconds of sleep between rounds (default: 0.25)")
    parser.add_argument(
        "--looks",
        type=int,
        default=5,
        help="looks, each a separate process measuring every artifact (3 to 11; default: 5)",
    )
    parser.add_argument("--look-gap", type=float, default=2.0, help="seconds between looks (default: 2)")
    parser.set_defaults(run=_run_reproduce)


def _run_reproduce(arguments: argparse.Namespace) -> int:
    from course_tools.reproduce.look import LookFailed
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
    except (NotADirectoryError, ValueError, LookFailed) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    for item in outcome.submissions:
        print(verdict_line(item))
    path = write_reproduced(outcome, arguments.out or Path(arguments.directory) / REPRODUCED_FILE)
    print(f"wrote {path}", file=sys.stderr)
    return 0
