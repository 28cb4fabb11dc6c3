"""The submitter must name someone: code ``placeholder-submitter``.

The notebook's ``SUBMITTER`` starts as ``tinytorch.SUBMITTER_PLACEHOLDER`` ("your-name"). A file
still carrying it names nobody, and the leaderboard, which keeps one entry per submitter, would
merge every student who forgot into one entry. Compared like the leaderboard compares names:
ignoring case and surrounding whitespace.
"""

from __future__ import annotations

from typing import Any

from course_tools.submissions.fields import lookup
from course_tools.submissions.problems import Problem, show
from tinytorch.schema import SUBMITTER_PLACEHOLDER


def submitter_problems(document: Any) -> list[Problem]:
    """``placeholder-submitter`` when ``submitter`` is still the notebook's placeholder; else ``[]``."""
    name = lookup(document, "submitter")
    if not isinstance(name, str) or " ".join(name.split()).casefold() != SUBMITTER_PLACEHOLDER:
        return []
    return [
        Problem(
            "$.submitter",
            "placeholder-submitter",
            f"submitter is still the notebook's placeholder {show(name)}: set SUBMITTER to your name or student id "
            "and run the notebook's submission cell again",
        )
    ]
