"""The speedrun's class leaderboard in `OUT/report.html`: each student's median steps to the target.

The steps come from the grader's own measurement (`AUTOGRADER_RECORD` of the speedrun's trusted test cell,
stored in the cell's verdict by `run.checker`), never from anything the student's code printed.
"""

import html
from pathlib import Path

import nbformat

from autograder.boundary.restore import is_test

SLUG = "09_speedrun"


def entries(out):
    """`[(steps or None, student, sgd steps, adam steps)]` of OUT's graded speedruns, fastest first."""
    found = []
    for path in sorted((Path(out) / "course" / "autograded").glob(f"*/{SLUG}/{SLUG}.ipynb")):
        try:
            cells = nbformat.read(path, as_version=4).cells
        except Exception:  # a notebook that cannot be read has no entry; grading gave its row a reason
            continue
        for cell in cells:
            if not is_test(cell):
                continue
            record = cell.metadata.get("autograder", {}).get("record")
            record = record if isinstance(record, dict) else {}  # none: the public seed was not reached
            found.append((record.get("speedrun_steps"), path.parent.parent.name, record.get("sgd_steps"),
                          record.get("adam_steps")))
    return sorted(found, key=lambda e: (e[0] is None, e[0] or 0, e[1]))


def section(out):
    """The leaderboard's HTML (escaped), or "" when no speedrun was graded in OUT."""
    board = entries(out)
    if not board:
        return ""
    said = lambda steps: "not reached" if steps is None else f"{steps:,.0f}"
    sgd, adam = next(((e[2], e[3]) for e in board if e[2] is not None), (None, None))
    rows = "".join(f"<tr><td>{rank}</td><td>{html.escape(student)}</td><td>{said(steps)}</td></tr>"
                   for rank, (steps, student, _, _) in enumerate(board, start=1))
    return ("<h2>Speedrun leaderboard</h2><p>Median optimizer steps to the target on the grader's hidden seeds "
            f"(fewer is better; \"not reached\": not within the step budget, or not even on the public seed)."
            + (f" The course's tuned plain SGD needs {said(sgd)}, its tuned Adam {said(adam)}." if sgd else "") + "</p>"
            f"<table><thead><tr><th>rank</th><th>student</th><th>steps</th></tr></thead><tbody>{rows}</tbody></table>")
