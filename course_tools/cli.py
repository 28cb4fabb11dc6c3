"""The instructor command line: ``python -m course_tools [--course DIR] <command>``.

Commands (each returns the process exit status: 0 success, 1 failure, 2 usage error):

- ``release [--check]``: lint the source, generate the student release, compare it with the
  committed ``release/``; ``--check`` only reports (exit 1 when it differs).
- ``lint``: only the source metadata lint.
- ``grade [--jobs N | --scheduler ADDRESS] [--student ID ...] [--force]``: autograde ``submitted/``, write feedback and
  grades.csv; a rerun keeps what an earlier run graded and has not changed since, unless ``--force``.
- ``feedback [--student ID ...]``: regenerate the feedback HTML from ``autograded/``.
- ``export [--to FILE]``: write grades.csv from the gradebook.
- ``demo [--jobs N] [--into DIR]``: the whole workflow through the exchange on sample students,
  in a scratch folder (see `course_tools.demo.run`).
- ``lab [--workspace DIR] [--exchange] [JUPYTER LAB ARGS]``: the student's JupyterLab;
  ``instructor [JUPYTER LAB ARGS]``: JupyterLab with Formgrader on the course (`course_tools.lab`).
- ``hub [--port N] [--base DIR] [--exchange DIR]``: the course's JupyterHub, as root (`course_tools.hub`).
- ``validate FILE...``, ``reproduce DIR``, ``leaderboard DIR``: check submission.json files,
  re-measure their model artifacts, rank them (`course_tools.submissions.cli`, `course_tools.reproduce.cli`).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from course_tools.reproduce import cli as reproduce_cli
from course_tools.submissions import cli as submissions_cli

# Each command imports what it needs when it runs: `--help`, `validate` and `leaderboard` stay
# fast and never load nbgrader (course_tools.course) or matplotlib.


def _release(args: argparse.Namespace) -> int:
    from course_tools.course import course_root
    from course_tools.release import LintFailed, release

    root = course_root(args.course)
    try:
        outcome = release(root, check=args.check)
    except LintFailed as failure:
        for problem in failure.problems:
            print(problem)
        print(f"release: {len(failure.problems)} problem(s) in the source; nothing generated")
        return 1
    relative = outcome.release_dir.relative_to(root)
    if not outcome.differences:
        print(f"release: {relative} matches what the source generates")
        return 0
    for difference in outcome.differences:
        print(f"  {difference}")
    if args.check:
        print(f"release --check: {relative} is not what the source generates; run `make release` and commit it")
        return 1
    print(f"release: updated {relative}; review the changes and commit them")
    return 0


def _lint(args: argparse.Namespace) -> int:
    from course_tools.course import course_root
    from course_tools.release import lint_source

    problems = lint_source(course_root(args.course))
    for problem in problems:
        print(problem)
    print(f"lint: {len(problems)} problem(s)")
    return 1 if problems else 0


def _grade(args: argparse.Namespace) -> int:
    from course_tools.course import course_root
    from course_tools.pipeline import grade_course

    run = grade_course(
        course_root(args.course),
        jobs=args.jobs,
        students=args.student,
        unsafe_no_isolation=args.unsafe_no_isolation,
        scheduler=args.scheduler,
        force=args.force,
    )
    return 1 if run.failed else 0


def _feedback(args: argparse.Namespace) -> int:
    from course_tools.course import course_root
    from course_tools.feedback import generate_feedback

    written = generate_feedback(course_root(args.course), students=args.student)
    for path in written:
        print(path)
    print(f"feedback: {len(written)} HTML file(s)")
    return 0


def _export(args: argparse.Namespace) -> int:
    from course_tools.course import course_root
    from course_tools.export import export_grades

    print(export_grades(course_root(args.course), Path(args.to) if args.to else None))
    return 0


def _demo(args: argparse.Namespace) -> int:
    from course_tools.course import course_root
    from course_tools.demo.run import run_demo

    return run_demo(course_root(args.course), Path(args.into).resolve() if args.into else None, jobs=args.jobs)


def _lab(args: argparse.Namespace) -> int:
    from course_tools.course import course_root
    from course_tools.lab import student_lab

    workspace = Path(args.workspace) if args.workspace else None
    return student_lab(
        course_root(args.course), workspace, args.lab_args, from_exchange=args.exchange, student_id=args.student
    )


def _instructor(args: argparse.Namespace) -> int:
    from course_tools.course import course_root
    from course_tools.lab import instructor_lab

    return instructor_lab(course_root(args.course), args.lab_args)


def _hub(args: argparse.Namespace) -> int:
    from course_tools.course import course_root
    from course_tools.hub.accounts import require_root
    from course_tools.hub.layout import HubLayout
    from course_tools.hub.run import run_hub

    require_root("`make hub`")
    return run_hub(course_root(args.course), HubLayout(Path(args.base), Path(args.exchange)), args.port)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser; every subcommand sets ``run(namespace) -> int``."""
    parser = argparse.ArgumentParser(
        prog="python -m course_tools", description="Instructor commands of the TinyTorch capstone course."
    )
    parser.add_argument("--course", metavar="DIR", help="course root (default: the current directory)")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    release = commands.add_parser("release", help="lint the source, generate and compare the release")
    release.add_argument("--check", action="store_true", help="only report; exit 1 if release/ differs")
    release.set_defaults(run=_release)

    commands.add_parser("lint", help="lint the source notebook's nbgrader metadata").set_defaults(run=_lint)

    grade = commands.add_parser("grade", help="autograde submitted/, write feedback and grades.csv")
    grade.add_argument("--jobs", type=int, help="submissions graded at once (default: one per CPU core)")
    grade.add_argument(
        "--scheduler",
        metavar="ADDRESS",
        help="grade on the running Dask cluster at ADDRESS, e.g. tcp://host:8786 "
        "(default: c.GradeSubmissions.scheduler, else local processes)",
    )
    grade.add_argument("--student", action="append", metavar="ID", help="grade only this student (repeatable)")
    grade.add_argument(
        "--unsafe-no-isolation",
        action="store_true",
        help="grade even without bubblewrap: student code can then read and delete the gradebook",
    )
    grade.add_argument(
        "--force", action="store_true", help="grade every submission again, also those an earlier run graded unchanged"
    )
    grade.set_defaults(run=_grade)

    feedback = commands.add_parser("feedback", help="generate feedback HTML from autograded/")
    feedback.add_argument("--student", action="append", metavar="ID", help="only this student (repeatable)")
    feedback.set_defaults(run=_feedback)

    export = commands.add_parser("export", help="write grades.csv from the gradebook")
    export.add_argument("--to", metavar="FILE", help="output file (default: grades.csv in the course root)")
    export.set_defaults(run=_export)

    demo = commands.add_parser("demo", help="release, sample submissions, grading, table, feedback, grades.csv")
    demo.add_argument("--jobs", type=int, default=2, help="submissions graded at once (default: 2)")
    demo.add_argument("--into", metavar="DIR", help="scratch folder, emptied first (default: build/demo in the course)")
    demo.set_defaults(run=_demo)

    lab = commands.add_parser(
        "lab", help="the student's JupyterLab, no instructor tools (other arguments go to jupyter lab)"
    )
    lab.add_argument(
        "--workspace", metavar="DIR", help="the student's folder, the server root (default: build/student)"
    )
    lab.add_argument(
        "--exchange", action="store_true", help="start empty: the student fetches from the Assignments tab"
    )
    lab.add_argument(
        "--student", metavar="ID", help="submit from the Assignments tab as ID (default: the OS user name)"
    )
    lab.set_defaults(run=_lab)

    instructor = commands.add_parser(
        "instructor", help="JupyterLab on the course root with Formgrader (other arguments go to jupyter lab)"
    )
    instructor.set_defaults(run=_instructor)

    hub = commands.add_parser("hub", help="the course's JupyterHub on this machine (as root; docs/hub.md)")
    hub.add_argument("--port", type=int, default=8000, help="port on 127.0.0.1 (default: 8000)")
    hub.add_argument("--base", default="/srv/tinytorch-hub", help="course, state, config (default: %(default)s)")
    hub.add_argument("--exchange", default="/srv/nbgrader/exchange", help="nbgrader's exchange (default: %(default)s)")
    hub.set_defaults(run=_hub)

    submissions_cli.add_subcommands(commands)
    reproduce_cli.add_subcommand(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Parse ``argv`` (default: sys.argv[1:]), run the command, return its exit status."""
    parser = build_parser()
    args, unknown = parser.parse_known_args(argv)
    if unknown and args.command not in ("lab", "instructor"):
        parser.error(f"unrecognized arguments: {' '.join(unknown)}")
    args.lab_args = unknown
    try:
        return int(args.run(args))
    except Exception as error:
        from course_tools.course import CourseError  # nbgrader: loaded only when a command failed

        if not isinstance(error, CourseError):
            raise
        print(f"error: {error}", file=sys.stderr)
        return 1
