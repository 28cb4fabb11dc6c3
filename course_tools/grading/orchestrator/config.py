"""Settings of a grading run, read from the course's ``nbgrader_config.py``.

The per-kernel limits live on `SandboxedExecute` (they apply inside each ``nbgrader autograde``
process); the settings here apply to the orchestrator that runs those processes.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from nbgrader.coursedir import CourseDirectory
from traitlets import Dict, Float, Integer, List, Unicode
from traitlets.config import LoggingConfigurable

from course_tools.course import CONFIG_FILE, nbgrader_config


class GradeSubmissions(LoggingConfigurable):
    """Settings of `grade_submissions`, the orchestrated grading run (``c.GradeSubmissions.<name>``)."""

    wall_clock_limit_s = Float(
        1200.0,
        help="Seconds one submission may take in total (all cells, restarts, nbgrader itself) "
        "before its autograde process group is killed and it scores 0 with status timed-out.",
    ).tag(config=True)

    jobs = Integer(
        0,
        help="Submissions graded at the same time; 0 means one per CPU core (os.cpu_count()).",
    ).tag(config=True)

    scheduler = Unicode(
        "",
        help="Address of a running Dask scheduler (tcp://host:8786) whose workers grade the "
        "submissions; empty means local processes (jobs).",
    ).tag(config=True)

    collect_files = List(
        Unicode(),
        ["submission.json", "model.npz"],
        help="Files of the submitted folder the grader copies beside the autograded notebook (plain "
        "names), for `validate`, `reproduce` and the leaderboard; a missing one is reported, not an error.",
    ).tag(config=True)

    max_collected_file_bytes = Integer(
        1_048_576,
        help="Largest collected file, in bytes: the submission validator's own size cap.",
    ).tag(config=True)

    max_collected_bytes_by_name = Dict(
        value_trait=Integer(),
        per_key_traits=None,
        default_value={"model.npz": 16 * 1_048_576},
        help="Size caps of particular collected files, in bytes, overriding max_collected_file_bytes: the "
        "model artifact (the unpruned fp32 baseline is 4.3 MB).",
    ).tag(config=True)

    max_notebook_mb = Float(
        50.0,
        help="A submitted notebook file larger than this (MB = 1024**2 bytes) is rejected as "
        "invalid-notebook before anything parses it.",
    ).tag(config=True)


@dataclass(frozen=True)
class CourseSettings:
    """What the orchestrator needs to know about a course, resolved once per run."""

    root: Path
    course_id: str
    db_url: str
    source_dir: str
    submitted_dir: str
    autograded_dir: str
    ignore: tuple[str, ...]
    wall_clock_limit_s: float
    jobs: int
    max_notebook_bytes: int
    scheduler: str = ""
    collect_files: tuple[str, ...] = ()
    max_collected_file_bytes: int = 0
    max_collected_bytes_by_name: tuple[tuple[str, int], ...] = ()

    def submission_dir(self, student: str, assignment: str) -> Path:
        return self.root / self.submitted_dir / student / assignment

    def autograded_path(self, student: str, assignment: str) -> Path:
        return self.root / self.autograded_dir / student / assignment

    def grading_log(self, student: str, assignment: str) -> Path:
        """Where the nbgrader log of a failed or stopped run is kept (beside the results)."""
        return self.root / self.autograded_dir / student / f"{assignment}.grading.log"


def load_course_settings(course_root: Path) -> CourseSettings:
    """Read ``course_root/nbgrader_config.py`` as nbgrader would when run from ``course_root``.

    Raises FileNotFoundError naming the file when the course has no configuration.
    """
    root = Path(course_root).resolve()
    if not (root / CONFIG_FILE).is_file():
        raise FileNotFoundError(f"{root / CONFIG_FILE} does not exist: {root} is not an nbgrader course root")
    config = nbgrader_config(root)
    coursedir = CourseDirectory(config=config, root=str(root))
    run = GradeSubmissions(config=config)
    return CourseSettings(
        root=root,
        course_id=coursedir.course_id,
        db_url=coursedir.db_url,
        source_dir=coursedir.source_directory,
        submitted_dir=coursedir.submitted_directory,
        autograded_dir=coursedir.autograded_directory,
        ignore=tuple(coursedir.ignore),
        wall_clock_limit_s=run.wall_clock_limit_s,
        jobs=run.jobs if run.jobs > 0 else (os.cpu_count() or 1),
        max_notebook_bytes=int(run.max_notebook_mb * 1024 * 1024),
        scheduler=run.scheduler,
        collect_files=tuple(run.collect_files),
        max_collected_file_bytes=run.max_collected_file_bytes,
        max_collected_bytes_by_name=tuple(sorted(run.max_collected_bytes_by_name.items())),
    )
