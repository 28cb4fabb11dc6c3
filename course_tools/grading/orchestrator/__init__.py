"""Runs in the instructor's process (`python -m course_tools grade`): the grading run.

Checks the submissions, stages a private course per student, starts one ``nbgrader autograde``
process per submission (on threads or a Dask cluster) and imports each result into the course.
"""
