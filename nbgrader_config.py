"""nbgrader configuration of the TinyTorch capstone course.

nbgrader reads this file only from the current directory: run every nbgrader command (and
`python -m course_tools ...`, which loads this file itself) from the course root.
"""

from nbconvert.preprocessors import CSSHTMLHeaderPreprocessor
from nbgrader.preprocessors import GetGrades

from course_tools.feedback import StripHiddenTestsFromFeedback

c = get_config()  # noqa: F821 (injected by traitlets when it loads this file)

# ---------------------------------------------------------------------------------------------
# Course, release, autograde, feedback, export (the instructor pipeline)
# ---------------------------------------------------------------------------------------------

# The gradebook and every command agree on one course id (docs/architecture.md).
c.CourseDirectory.course_id = "tinytorch-capstone"

# source/ also holds each notebook's jupytext twin (`capstone.py`, solutions included): nbgrader
# copies every non-notebook file of source/ into release/ and into each autograded folder, so
# .py files must be ignored or the solutions would ship to students and sit beside their kernel.
c.CourseDirectory.ignore = [".ipynb_checkpoints", "*.pyc", "__pycache__", "feedback", "*.py"]

# A cell of the reference notebook runs in a few seconds; 60 s per cell leaves honest but slow
# student code room and still stops an infinite loop within a minute.
c.Execute.timeout = 60

# A flaky or slow test must show up as a failure to investigate, not be re-run until it passes.
c.Execute.execute_retries = 0

# Any stderr output in a grade cell scores it 0; warnings (numpy, matplotlib, deprecations) are
# not failures, so stderr outputs in Python's warning format are dropped before grading.
c.IgnorePattern.pattern = r"(?m)^.*:\d+: \w*Warning: "

# A student who deleted a grade cell gets it back (and is graded by it) instead of silently
# losing the step's points or breaking the run.
c.OverwriteCells.add_missing_cells = True

# A runaway print loop must not bloat the gradebook and the feedback; 200 lines still show any
# reasonable output, 60 traceback lines reach from the test down into the student's code.
c.LimitOutput.max_lines = 200
c.LimitOutput.max_traceback = 60

# The untouched release must raise in every graded step (so it scores 0, never passes by doing
# nothing), and markdown answers start from a visible placeholder.
c.ClearSolutions.code_stub = {"python": "# YOUR CODE HERE\nraise NotImplementedError()"}
c.ClearSolutions.text_stub = "YOUR ANSWER HERE"

# Markers outside the cells nbgrader knows how to clear are an error, never shipped silently.
c.ClearSolutions.enforce_metadata = True
c.ClearHiddenTests.enforce_metadata = True

# Feedback shows each step's result and points but never the hidden tests: the autograded
# notebook carries their source (and tracebacks quote it), so it is stripped before rendering.
c.GenerateFeedback.preprocessors = [GetGrades, StripHiddenTestsFromFeedback, CSSHTMLHeaderPreprocessor]

# `nbgrader export` and `python -m course_tools export` write the same per-step grades.csv.
c.ExportApp.plugin_class = "course_tools.export.StepGradesCsvExportPlugin"
