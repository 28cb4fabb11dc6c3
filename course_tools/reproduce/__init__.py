"""Re-measure every submission's claim side by side on one machine: ``python -m course_tools reproduce DIR``.

``reproduce`` (`run`) finds the submissions, checks their artifacts, measures (`measure`) and
judges (`verdict`); its README says how the tolerance was chosen and what 100 submissions cost.
"""
