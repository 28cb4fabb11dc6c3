"""Hardened, parallel autograding for the course (nbgrader preprocessors and an orchestrator).

See README.md in this folder for what the sandbox protects against and how to run it at scale.
"""

from .orchestrator.orchestrate import GradeJob, GradeOutcome, grade_one, grade_submissions
from .orchestrator.preflight import GradingRefused, UnsafeGradingWarning

__all__ = ["GradeJob", "GradeOutcome", "GradingRefused", "UnsafeGradingWarning", "grade_one", "grade_submissions"]
