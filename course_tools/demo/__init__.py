"""The instructor demo (``python -m course_tools demo``, ``make demo``) and the sample students it grades.

`run` runs the whole workflow through nbgrader's exchange; `students` says what each sample
student hands in, with the demo's own wrong steps in ``wrong_steps/``; `submissions` validates,
re-measures and ranks what their notebooks wrote; `doctored` is the student who inflates their claim.
"""
