"""LMS downloads (a Canvas or Moodle zip of every student's upload) into ``submitted/``.

nbgrader's ``zip_collect`` does the work: the instructor saves the zip as
``downloaded/<assignment>/archive/<any name>.zip`` and runs ``nbgrader zip_collect <assignment>``
from the course root. ``nbgrader_config.py`` names the file pattern
(``FileNameCollectorPlugin.named_regexp``) and this collector.

nbgrader's own collector only logs a warning for a file whose name it cannot map to a student and
goes on without it, so that student's work silently never reaches ``submitted/``. This one stops
the run before anything is copied, naming the file and the pattern. A folder that already holds
a student's submission is never overwritten: ``zip_collect`` stops with "Directory not empty"
unless given ``--force``.
"""

from __future__ import annotations

import os

from nbgrader.plugins import FileNameCollectorPlugin


class StrictFileNameCollector(FileNameCollectorPlugin):
    """`FileNameCollectorPlugin` that fails on any extracted file it cannot map to a student."""

    def collect(self, submitted_file: str) -> dict | None:
        info = super().collect(submitted_file)
        if not info:
            extension = os.path.splitext(submitted_file)[1]
            reason = (
                f"its extension {extension or '(none)'} is not one of {', '.join(self.valid_ext)}"
                if extension not in self.valid_ext
                else f"its name does not match FileNameCollectorPlugin.named_regexp {self.named_regexp!r}"
            )
            self.parent.fail(
                f"cannot map {submitted_file} to a student: {reason}. Nothing was copied to submitted/. "
                "Rename the file inside the zip (or remove it) and run zip_collect again "
                "(--force clears the previous extraction)."
            )
        return info
