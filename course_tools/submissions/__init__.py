"""Instructor tooling for ``submission.json`` files: validation and the class leaderboard.

Kept out of the student-facing ``tinytorch`` package because it embeds the full consistency
checks that students write themselves in the notebook. Entry points:
``validate_file``, ``validate_submission_dict``, ``leaderboard``, and the ``validate`` and
``leaderboard`` commands of ``python -m course_tools`` (registered from ``cli``).
"""

from course_tools.submissions.leaderboard import Entry, Leaderboard, Rejected, leaderboard
from course_tools.submissions.problems import CODES, Problem
from course_tools.submissions.validation import validate_file, validate_submission_dict

__all__ = [
    "CODES",
    "Entry",
    "Leaderboard",
    "Problem",
    "Rejected",
    "leaderboard",
    "validate_file",
    "validate_submission_dict",
]
