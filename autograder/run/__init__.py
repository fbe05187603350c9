"""Grading one class: the run, the worker that grades one notebook, the checker, verdicts and progress."""
