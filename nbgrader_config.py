"""nbgrader configuration of the TinyTorch capstone course.

nbgrader reads this file only from the current directory: run every nbgrader command (and
`python -m course_tools ...`, which loads this file itself) from the course root.
"""

from nbconvert.preprocessors import CSSHTMLHeaderPreprocessor
from nbgrader.preprocessors import GetGrades

from course_tools.facts import COURSE_ID
from course_tools.feedback import RedactSourceSecretsFromOutputs, ShowAwaitingGrading, StripHiddenTestsFromFeedback

c = get_config()  # noqa: F821 (injected by traitlets when it loads this file)

# ---------------------------------------------------------------------------------------------
# Course, release, autograde, feedback, export (the instructor pipeline)
# ---------------------------------------------------------------------------------------------

# One course id for the gradebook and every command (docs/contract.md).
c.CourseDirectory.course_id = COURSE_ID

# source/ holds the notebook's jupytext twin (solutions!): never copy .py files to release/ or graded folders.
c.CourseDirectory.ignore = [".ipynb_checkpoints", "*.pyc", "__pycache__", "feedback", "*.py"]

# Reference cells take seconds; a minute per cell allows slow honest code and stops an infinite loop.
c.Execute.timeout = 60

# A flaky or slow test must surface as a failure, not be re-run until it passes.
c.Execute.execute_retries = 0

# Any stderr in a grade cell scores 0: drop warnings (Python's "file:line: XWarning:" format) first.
c.IgnorePattern.enabled = True
c.IgnorePattern.pattern = r"(?m)^.*:\d+: \w*Warning: "

# A deleted grade cell is put back and graded, instead of the step silently vanishing.
c.OverwriteCells.add_missing_cells = True

# Every released stub raises, so the untouched release scores 0 instead of passing by doing nothing.
c.ClearSolutions.code_stub = {"python": "# YOUR CODE HERE\nraise NotImplementedError()"}
c.ClearSolutions.text_stub = "YOUR ANSWER HERE"

# Solution or hidden-test markers outside the cells nbgrader clears are an error, never shipped.
c.ClearSolutions.enforce_metadata = True
c.ClearHiddenTests.enforce_metadata = True

# Feedback keeps each step's points and result but strips hidden test source, tracebacks included,
# and any solution text whatever printed it; an answer awaiting manual grading says so instead of
# showing 0 points.
c.GenerateFeedback.preprocessors = [GetGrades, ShowAwaitingGrading, StripHiddenTestsFromFeedback,
                                    CSSHTMLHeaderPreprocessor, RedactSourceSecretsFromOutputs]

# `nbgrader export` and `python -m course_tools export` write the same per-step grades.csv.
c.ExportApp.plugin_class = "course_tools.export.StepGradesCsvExportPlugin"

# ---------------------------------------------------------------------------------------------
# Hardened grading: sandboxed kernels, repaired notebooks, parallel runs (course_tools/grading;
# what it protects against and what it does not: course_tools/grading/README.md)
# ---------------------------------------------------------------------------------------------

import os

from nbconvert.preprocessors import ClearMetadataPreprocessor
from nbgrader.preprocessors import (AssignLatePenalties, ClearOutput, DeduplicateIds, IgnorePattern,
                                    SaveAutoGrades)

from course_tools.grading.nbgrader_plugins.execute import SandboxedExecute
from course_tools.grading.nbgrader_plugins.metadata_check import CheckCellMetadataOnce
from course_tools.grading.nbgrader_plugins.profile import SkipDemonstrationCells
from course_tools.grading.nbgrader_plugins.sanitize import (DropDuplicateGradeCells, ReportingOverwriteCells,
                                           ReportingOverwriteKernelspec)

# nbgrader's sanitizing steps, except that a copy-pasted grade cell is demoted to an ordinary cell
# instead of aborting the student's whole run, and every repair is reported in the grade report.
# CheckCellMetadataOnce (here and below) is nbgrader's CheckCellMetadata with its schema compiled
# once per notebook instead of once per cell: the same checks, a second less per submission.
c.Autograde.sanitize_preprocessors = [ClearOutput, DropDuplicateGradeCells, DeduplicateIds,
                                      ReportingOverwriteKernelspec, ReportingOverwriteCells,
                                      CheckCellMetadataOnce]

# nbgrader's grading steps with Execute replaced by the sandboxed one (private kernel, limits,
# crash recovery, output cap, tamper guard); Execute's settings above still apply to it. Before
# it, the grading profile marks the instructor's `demonstration` cells not to be run. No
# LimitOutput: the sandbox's output cap already bounds every cell while it runs, one limit in one place.
c.Autograde.autograde_preprocessors = [SkipDemonstrationCells, SandboxedExecute, IgnorePattern,
                                       ClearMetadataPreprocessor, SaveAutoGrades, AssignLatePenalties,
                                       CheckCellMetadataOnce]

# The grading profile (docs/contract.md): demonstration cells are most of a full run's time and no
# grade cell reads them, so autograding skips them (students run every cell; they never autograde).
# False runs every cell, as the student's kernel did.
c.SkipDemonstrationCells.enabled = True

# Parallel autograde processes share the SQLite gradebook: wait up to 60 s for its lock instead
# of failing with "database is locked" (the path is this file's folder, the course root).
c.CourseDirectory.db_url = (
    "sqlite:///" + os.path.join(os.path.dirname(os.path.abspath(__file__)), "gradebook.db") + "?timeout=60")

# 2 GB of address space: the reference kernel stays far below it, a memory bomb hits it alone.
c.SandboxedExecute.memory_limit_mb = 2048
# 15 CPU minutes for the whole notebook: the reference needs well under one.
c.SandboxedExecute.cpu_time_limit_s = 900
# A kernel runs about ten threads; 64 processes+threads stop a fork bomb early.
c.SandboxedExecute.max_processes = 64
# submission.json and plots are kilobytes; no single file may grow past 256 MB.
c.SandboxedExecute.max_file_size_mb = 256
# The only output limit: 1 MB per cell holds a cell's plots (a PNG is 50-150 kB of base64) and any
# real error; the rest of a print loop is dropped while it streams, so it never reaches the
# grader's memory, the gradebook or the feedback.
c.SandboxedExecute.max_output_bytes_per_cell = 1_000_000
# Each kernel runs in bubblewrap and sees of the course only the venv and tinytorch (as root also
# with a uid of its own). Without bwrap grading refuses to start; True grades unprotected.
c.SandboxedExecute.unsafe_no_isolation = False
c.SandboxedExecute.visible_course_paths = [".venv"]
c.SandboxedExecute.kernel_packages = ["tinytorch"]
# What the hidden tests call: restored before every grade cell if the student's code patched it.
c.SandboxedExecute.guarded_modules = [
    "math", "time", "json", "random", "statistics", "tracemalloc", "platform", "os", "os.path",
    "copy", "functools", "numpy", "numpy.linalg", "numpy.random", "numpy.testing",
    "matplotlib", "matplotlib.pyplot", "jsonschema", "tinytorch"]

# What `validate`, `reproduce` and the leaderboard read, taken from the submitted folder (the cell that
# writes them is a demonstration cell, not run while grading; `nbgrader submit` carries them): the
# submission (1 MiB cap, as the validator) and the student's model artifact (fp32 baseline 4.3 MB).
c.GradeSubmissions.collect_files = ["submission.json", "model.npz"]
c.GradeSubmissions.max_collected_bytes_by_name = {"model.npz": 16 * 1024 * 1024}

# A submission still running after 20 minutes is stuck: stop it (scores 0, status timed-out).
c.GradeSubmissions.wall_clock_limit_s = 1200

# Empty: grade on this machine (`jobs` processes). A Dask scheduler address ("tcp://host:8786"):
# grade on that cluster (course_tools/grading/README.md, "Parallel and distributed grading").
c.GradeSubmissions.scheduler = ""

# ---------------------------------------------------------------------------------------------
# Moving work between students and instructor: nbgrader's exchange and LMS downloads
# (README "Instructor workflow"; course_tools/exchange.py, course_tools/lms.py)
# ---------------------------------------------------------------------------------------------

# release_assignment / fetch / submit / collect / release_feedback meet in this folder. Default: exchange/
# in the course, for one machine; on a JupyterHub set a path every user reaches: /srv/nbgrader/exchange.
c.Exchange.root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "exchange")

# zip_collect (a Canvas download, in downloaded/20_capstone/archive/): Canvas names each file
# <student>_[LATE_]<user id>_<submission id>_<uploaded name>; a resubmission gets "-N" before ".ipynb".
c.FileNameCollectorPlugin.named_regexp = (
    r".*/(?P<student_id>[^/_]+)_(?:LATE_)?\d+_\d+_(?P<file_id>capstone)(?:-\d+)?\.ipynb$")
# A file that regexp cannot map to a student stops the run, naming it, instead of being skipped.
c.ZipCollectApp.collector_plugin = "course_tools.lms.StrictFileNameCollector"

# Formgrader's "Current configuration" panel dumps the server's whole config as JSON; Jupyter's own
# entries (ServerApp.jpserver_extensions) are not JSON, so it only logs "config is not serializable"
# and shows empty entries. Hide the panel: `nbgrader --help-all` and this file are the reference.
c.FormgradeExtension.debug = False
