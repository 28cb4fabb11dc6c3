"""Runs inside the student's kernel (sent as source text into bubblewrap, never imported there).

Each module is self-contained (standard library and IPython only); the grader reads its text.
Tests import them to drive them directly.
"""
