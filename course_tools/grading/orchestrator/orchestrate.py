"""Grade every submission of an assignment, each in its own ``nbgrader autograde`` process.

`grade_submissions` is the entry point. It refuses to start without kernel isolation (see
preflight.py), stages a private course per student (private_course.py), and imports each result
into the real course itself. Each submission becomes a `GradeJob` on its private course, graded
by the plain top-level function `grade_one`, which any `concurrent.futures.Executor` can run: the
default thread pool (threads only wait on subprocesses), a `ProcessPoolExecutor`, or a Dask
cluster through ``distributed.Client(...).get_executor()`` (see README.md in this package).

Statuses of a `GradeOutcome`, most severe first:

- ``invalid-notebook``: a submitted notebook is not readable notebook JSON (or is too large);
  it scores 0 through the gradebook and the file is left untouched.
- ``missing-notebook``: a notebook of the assignment was not submitted; it scores 0.
- ``timed-out``: grading took longer than the wall-clock limit and was killed; scores 0.
- ``grader-error``: ``nbgrader autograde`` failed; scores 0, the message quotes its log.
- ``kernel-died``, ``cell-timeout``, ``memory-limit``, ``tamper-reverted``, ``output-truncated``,
  ``notebook-repaired``: graded, after the sandbox contained the named incident (the worst one
  gives the status; the message lists all of them). Only the affected steps lose points.
- ``graded``: graded, nothing to report.

(Over 300 lines because the run, `grade_one` and the helpers that turn each failure into a
status and a message are read together; the isolation, private copies and preflight are in
their own modules.)
"""

from __future__ import annotations

import concurrent.futures
import contextlib
import json
import logging
import re
import shutil
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

import nbformat

from course_tools.course import nbgrader_config
from course_tools.facts import ASSIGNMENT_ID

from ..nbgrader_plugins.incidents import KernelRecord, read_report, worst_kind
from ..sandbox.kernel_sandbox import reclaim_uid
from ..sandbox.processes import kill_process_group
from . import private_course, resume
from .autograde_process import autograde_argv, run_autograde
from .cluster import cluster_executor
from .collect import copy_submitted_files
from .config import CourseSettings, load_course_settings
from .gradebook import assignment_notebooks, read_score, record_zero
from .preflight import check_before_grading

# nbgrader treats --student as a glob; anything beyond these characters could match others.
_STUDENT_ID = re.compile(r"^[A-Za-z0-9_.@+-]+$")
_LOG_TAIL_LINES = 12
_log = logging.getLogger(__name__)


@dataclass(frozen=True)
class GradeOutcome:
    """The result of grading one submission.

    ``status`` is one of the statuses in this module's docstring; ``score`` and ``max_score``
    are the submission's points as the gradebook holds them after grading (manually graded
    cells count 0 until graded); ``seconds`` is the wall-clock time spent on it;
    ``message`` says what happened in one or a few sentences; ``incidents`` lists every
    contained incident as ``"<kind>: <where>: <detail>"``.
    """

    student: str
    status: str
    score: float
    max_score: float
    seconds: float
    message: str
    incidents: tuple[str, ...] = field(default=())
    kept: bool = False


@dataclass(frozen=True)
class GradeJob:
    """Everything `grade_one` needs, picklable so it can travel to another process or machine."""

    settings: CourseSettings
    assignment: str
    student: str
    notebooks: tuple[str, ...]
    options: tuple[str, ...] = ()


def grade_submissions(
    course_root: Path,
    assignment: str = ASSIGNMENT_ID,
    *,
    jobs: int | None = None,
    executor: concurrent.futures.Executor | None = None,
    students: list[str] | None = None,
    wall_clock_limit_s: float | None = None,
    progress: Callable[[GradeOutcome], None] | None = None,
    unsafe_no_isolation: bool = False,
    scheduler: str | None = None,
    keep_unchanged: bool = False,
) -> list[GradeOutcome]:
    """Autograde the submissions of ``assignment`` under ``course_root`` and return their outcomes.

    Each submission ``submitted/<student>/<assignment>/`` is checked (every notebook must be
    readable, valid notebook JSON) and then graded by ``nbgrader autograde <assignment>
    --student <student> --force`` in its own subprocess and process group, run from
    ``course_root`` so nbgrader reads the course's ``nbgrader_config.py``. Results enter the
    gradebook only through nbgrader (or, for a notebook that cannot be graded at all, as 0 points
    written by this function). A submission that fails in any way gets a status and a message;
    the others are graded regardless.

    Parameters:
        course_root: the folder holding ``nbgrader_config.py``, ``submitted/`` and the gradebook.
        assignment: the assignment id; it must already be in the gradebook (generated).
        jobs: submissions graded at once when ``executor`` is None; default
            ``c.GradeSubmissions.jobs`` from the config, else ``os.cpu_count()``.
        executor: any `concurrent.futures.Executor` to run `grade_one` on (e.g. a Dask
            ``client.get_executor()``); it is not shut down. ``jobs`` is ignored then.
        scheduler: address of a running Dask scheduler to grade on (cluster.py) when
            ``executor`` is None; default ``c.GradeSubmissions.scheduler``, empty for local jobs.
        students: student ids to grade; default every folder in ``submitted/`` that holds the
            assignment, sorted.
        wall_clock_limit_s: seconds one submission may take before its process group is killed;
            default ``c.GradeSubmissions.wall_clock_limit_s``.
        progress: called with each outcome as soon as it is known (in completion order, in the
            calling thread).
        unsafe_no_isolation: grade even without bwrap (a loud `UnsafeGradingWarning`); also
            ``c.SandboxedExecute.unsafe_no_isolation``.
        keep_unchanged: keep the result of a submission that an earlier run graded and that has not
            changed since (resume.py) instead of grading it again: its outcome has ``kept`` True
            and is reported through ``progress`` before any grading starts. Every result graded
            is recorded for a later resume either way.

    Returns the outcomes in the order of ``students``.

    Raises FileNotFoundError when ``course_root`` has no ``nbgrader_config.py``, ValueError when
    the assignment is not in the gradebook or a requested student has no submission folder,
    `GradingRefused` before any student code runs when there is no isolation (and the risk was not
    accepted) or a kernel cannot start in the sandbox (see preflight.py).
    """
    settings = load_course_settings(Path(course_root))
    check_before_grading(settings.root, nbgrader_config(settings.root), unsafe_no_isolation)
    options = ("--SandboxedExecute.unsafe_no_isolation=True",) if unsafe_no_isolation else ()
    if wall_clock_limit_s is not None:
        settings = replace(settings, wall_clock_limit_s=float(wall_clock_limit_s))
    notebooks = tuple(assignment_notebooks(settings, assignment))
    if students is None:
        students = discover_students(settings, assignment)
    else:
        missing = [s for s in students if not settings.submission_dir(s, assignment).is_dir()]
        if missing:
            raise ValueError(
                f"no submission folder for {', '.join(missing)} under "
                f"{settings.root / settings.submitted_dir}/<student>/{assignment}"
            )
    fingerprints = {s: resume.fingerprint(settings, assignment, s, notebooks) for s in students}
    outcomes: dict[str, GradeOutcome] = {}
    for student in students if keep_unchanged else []:
        kept = resume.kept_result(settings, assignment, student, notebooks, fingerprints[student])
        if kept is not None:
            score, max_score = read_score(settings, assignment, student)
            outcomes[student] = GradeOutcome(
                student, kept.status, score, max_score, 0.0, f"{resume.KEPT_NOTE}: {kept.message}", kept.incidents, True
            )
            if progress is not None:
                progress(outcomes[student])
    all_students, students = students, [s for s in students if s not in outcomes]
    staging = None
    if private_course.sqlite_path(settings.db_url) is not None:
        staging = private_course.stage_run(settings, assignment, students)
        grading_jobs = [
            GradeJob(
                staging.courses[s],
                assignment,
                s,
                notebooks,
                options + private_course.private_options(staging.courses[s]),
            )
            for s in students
        ]
    else:  # another database server: graded in place (README: defence in depth needs SQLite)
        _log.warning(
            "the gradebook is not SQLite (%s): submissions are graded in place, without private "
            "course copies or check-and-restore; back the database up before the run",
            settings.db_url.split("://", 1)[0],
        )
        grading_jobs = [GradeJob(settings, assignment, s, notebooks, options) for s in students]

    scheduler = settings.scheduler if scheduler is None else scheduler
    resources = contextlib.ExitStack()
    repaired: set[str] = set()
    try:
        if executor is None and scheduler:
            executor = resources.enter_context(cluster_executor(scheduler))
        elif executor is None:
            executor = resources.enter_context(
                concurrent.futures.ThreadPoolExecutor(max_workers=max(1, jobs or settings.jobs))
            )
        futures = {executor.submit(grade_one, job): job for job in grading_jobs}
        for future in concurrent.futures.as_completed(futures):
            job = futures[future]
            try:
                outcome = future.result()
            except Exception as error:  # the executor itself failed (pickling, lost worker)
                outcome = GradeOutcome(
                    job.student, "grader-error", 0.0, 0.0, 0.0, f"the executor could not run the grading job: {error!r}"
                )
            outcome = _collect(settings, job, outcome)
            if staging is not None:
                outcome = _import(settings, staging, job, outcome, repaired)
            outcomes[job.student] = outcome
            _record(settings, assignment, outcome, fingerprints[job.student])
            if progress is not None:
                progress(outcome)
    finally:
        resources.close()
        if staging is not None:
            repaired.update(private_course.verify_and_repair(settings, staging, assignment, files=True))
            private_course.close(staging)
    for student in repaired & outcomes.keys():
        outcomes[student] = replace(
            outcomes[student],
            message=outcomes[student].message
            + (
                " [the course's copy of this result was damaged during the run and restored from the grader's "
                "private copy]"
            ),
        )
    if repaired:
        _log.warning(
            "restored the results of %s: the gradebook, autograded/ or submitted/ was damaged during the run",
            ", ".join(sorted(repaired)),
        )
    return [outcomes[student] for student in all_students]


def _collect(settings: CourseSettings, job: GradeJob, outcome: GradeOutcome) -> GradeOutcome:
    """Take the submission's files as submitted (collect.py) from the real course into the result
    ``job`` graded (the private copy, imported with the rest of the result; in place, the real one);
    what is missing or refused is added to the message."""
    course = job.settings
    try:
        notes = copy_submitted_files(
            settings.submission_dir(job.student, job.assignment),
            course.autograded_path(job.student, job.assignment),
            course.collect_files,
            course.max_collected_file_bytes,
            dict(course.max_collected_bytes_by_name),
        )
    except OSError as error:
        notes = [f"could not be copied ({error})"]
    if not notes:
        return outcome
    return replace(outcome, message=f"{outcome.message} [submission files: {'; '.join(notes)}]")


def _record(settings: CourseSettings, assignment: str, outcome: GradeOutcome, current: dict[str, str]) -> None:
    """Remember a result now in the course for the next run (resume.py); a failure only costs a regrade."""
    try:
        resume.write_record(
            settings, assignment, outcome.student, current, outcome.status, outcome.message, outcome.incidents
        )
    except OSError as error:
        _log.warning("could not record %s's result for a later run to keep: %s", outcome.student, error)


def _import(
    settings: CourseSettings,
    staging: private_course.RunStaging,
    job: GradeJob,
    outcome: GradeOutcome,
    repaired: set[str],
) -> GradeOutcome:
    """Bring one private result into the real course, after repairing what the runs so far damaged.

    Tried twice (a kernel still running may damage the gradebook during the first import); a
    result that cannot be imported is a grader-error, never a silent 0.
    """
    for attempt in (1, 2):
        repaired.update(private_course.verify_and_repair(settings, staging, job.assignment, files=False))
        try:
            private_course.import_result(settings, staging, job.settings, job.assignment, job.student)
            return outcome
        except Exception as error:
            if attempt == 2:
                return replace(
                    outcome,
                    status="grader-error",
                    message=(
                        f"{outcome.message} (its result could not be imported into the course, so it is not "
                        f"in the gradebook: {error!r}; grade it again)"
                    ),
                )
    return outcome


def discover_students(settings: CourseSettings, assignment: str) -> list[str]:
    """Sorted ids of the students with a ``submitted/<student>/<assignment>/`` folder."""
    submitted = settings.root / settings.submitted_dir
    if not submitted.is_dir():
        return []
    return sorted(p.name for p in submitted.iterdir() if (p / assignment).is_dir())


def grade_one(job: GradeJob) -> GradeOutcome:
    """Grade one submission; never raises (any failure becomes a ``grader-error`` outcome)."""
    started = time.perf_counter()
    try:
        status, message, incidents = _grade(job, deadline=time.monotonic() + job.settings.wall_clock_limit_s)
    except Exception as error:  # a bug or an environment problem: report it, grade the rest
        status, message, incidents = "grader-error", f"grading failed: {error!r}", ()
    try:
        score, max_score = read_score(job.settings, job.assignment, job.student)
    except Exception as error:
        score, max_score = 0.0, 0.0
        message += f" (could not read the gradebook: {error!r})"
    return GradeOutcome(job.student, status, score, max_score, time.perf_counter() - started, message, incidents)


def check_notebook(path: Path, max_bytes: int) -> str | None:
    """None when ``path`` is a readable, valid notebook file; otherwise what is wrong with it."""
    size = path.stat().st_size
    if size > max_bytes:
        return f"{path.name} is {size} bytes, over the {max_bytes}-byte limit"
    try:
        text = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as error:
        return f"{path.name} is not UTF-8 text: {error}"
    try:
        json.loads(text)
    except json.JSONDecodeError as error:
        return f"{path.name} is not valid JSON (truncated or corrupted?): {error}"
    try:
        notebook = nbformat.reads(text, as_version=4)
        nbformat.validate(notebook)
    except nbformat.ValidationError as error:
        return f"{path.name} is not a valid notebook: {error.message}"
    except Exception as error:  # nbformat reports unreadable structure with assorted exceptions
        return f"{path.name} is not a valid notebook: {error}"
    return None


def _grade(job: GradeJob, deadline: float) -> tuple[str, str, tuple[str, ...]]:
    settings, student = job.settings, job.student
    if not _STUDENT_ID.match(student):
        return "grader-error", f"student id {student!r} has characters nbgrader would treat as a pattern", ()
    folder = settings.submission_dir(student, job.assignment)

    missing = [name for name in job.notebooks if not (folder / f"{name}.ipynb").is_file()]
    problems = {}
    for name in job.notebooks:
        if name not in missing:
            problem = check_notebook(folder / f"{name}.ipynb", settings.max_notebook_bytes)
            if problem is not None:
                problems[name] = problem
    gradable = [name for name in job.notebooks if name not in missing and name not in problems]

    notes: list[str] = []
    if problems:
        record_zero(settings, job.assignment, student, list(problems))
        for name in problems:
            _remove(settings.autograded_path(student, job.assignment) / f"{name}.ipynb")
        notes.append("; ".join(problems.values()) + " (scored 0, file left as submitted)")
    if missing:
        notes.append(f"not submitted: {', '.join(n + '.ipynb' for n in missing)} (scored 0)")
    if not gradable:
        record_zero(settings, job.assignment, student, list(job.notebooks))
        status = "invalid-notebook" if problems else "missing-notebook"
        return status, " ".join(notes), ()

    # One run grades every notebook (nbgrader scores missing ones 0 itself); an invalid notebook
    # must be left out, so then each valid notebook is graded on its own.
    selection: list[str | None] = list(gradable) if problems else [None]
    kept_log = settings.grading_log(student, job.assignment)
    kept_log.unlink(missing_ok=True)  # a log from an earlier failed run of this submission
    work = Path(tempfile.mkdtemp(prefix=f"grade-{student}-"))
    report, log = work / "report.jsonl", work / "autograde.log"
    try:
        for notebook in selection:
            returncode = run_autograde(
                settings.root,
                autograde_argv(job.assignment, student, notebook, job.options),
                report,
                log,
                max(0.0, deadline - time.monotonic()),
            )
            if returncode is None:
                _, kernels = read_report(report)
                _end_kernels(kernels)
                record_zero(settings, job.assignment, student, list(job.notebooks))
                _remove(settings.autograded_path(student, job.assignment))
                _keep_log(log, kept_log)
                return (
                    "timed-out",
                    f"grading took longer than the wall-clock limit of "
                    f"{settings.wall_clock_limit_s:g} s and was stopped; scored 0 (log: {kept_log})",
                    (),
                )
            if returncode != 0:
                _, kernels = read_report(report)
                _end_kernels(kernels)
                record_zero(settings, job.assignment, student, list(job.notebooks))
                _keep_log(log, kept_log)
                return (
                    "grader-error",
                    f"nbgrader autograde exited with status {returncode}; scored 0. "
                    f"Log {kept_log}:\n{_log_tail(kept_log)}",
                    (),
                )
        incidents, _ = read_report(report)
    finally:
        shutil.rmtree(work, ignore_errors=True)

    described = tuple(f"{i.kind}: {i.describe()}" for i in incidents)
    if problems:
        status = "invalid-notebook"
    elif missing:
        status = "missing-notebook"
    else:
        status = worst_kind(incidents) or "graded"
    if incidents:
        notes.append("; ".join(i.describe() for i in incidents))
    return status, " ".join(notes) if notes else "graded, nothing to report", described


def _end_kernels(kernels: list[KernelRecord]) -> None:
    """After a run that was killed or crashed: end its kernels' processes, remove their sandboxes.

    (A run that finishes cleans up after itself; doing it again here could hit a kernel of
    another run that reuses the uid or process group.)
    """
    for kernel in kernels:
        if kernel.uid is not None:
            reclaim_uid(kernel.uid)
        else:
            kill_process_group(kernel.pgid)
        shutil.rmtree(kernel.workdir, ignore_errors=True)


def _keep_log(log: Path, destination: Path) -> None:
    """Keep a failed run's nbgrader log beside the student's results for the instructor."""
    destination.parent.mkdir(parents=True, exist_ok=True)
    if log.exists():
        shutil.copyfile(log, destination)
    else:
        destination.write_text("nbgrader wrote no log\n")


def _log_tail(log: Path) -> str:
    with open(log, "rb") as handle:
        handle.seek(max(0, log.stat().st_size - 20_000))
        lines = handle.read().decode("utf-8", "replace").splitlines()
    errors = [line for line in lines if "[ERROR]" in line or "Error" in line]
    return "\n".join((errors or lines)[-_LOG_TAIL_LINES:])


def _remove(path: Path) -> None:
    if path.is_dir():
        shutil.rmtree(path, ignore_errors=True)
    elif path.exists():
        path.unlink()
