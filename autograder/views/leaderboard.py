"""The speedrun's class leaderboard in `OUT/report.html`: each student's median steps to the target.

The steps come from the grader's own measurement (`AUTOGRADER_RECORD` of the speedrun's trusted test cell,
stored in the gradebook by `records.measured`), never from anything the student's code printed; the board is
rebuilt from the gradebook alone, so it is whole after shards merge into one.
"""

import html

from autograder.records import measured

SLUG = "09_speedrun"


def entries(db_url, rows):
    """`[(steps or None, student, sgd steps, adam steps)]` of the graded speedruns among the gradebook's `rows`
    (a notebook that was not graded has no entry; one graded without a measurement did not reach the target)."""
    values = measured.stored(db_url, SLUG)
    found = [(values.get(r["student_id"], {}).get("speedrun_steps"), r["student_id"],
              values.get(r["student_id"], {}).get("sgd_steps"), values.get(r["student_id"], {}).get("adam_steps"))
             for r in rows if r["assignment"] == SLUG and not r["reason"]]
    return sorted(found, key=lambda e: (e[0] is None, e[0] or 0, e[1]))


def section(db_url, rows):
    """The leaderboard's HTML (escaped), or "" when no speedrun was graded."""
    board = entries(db_url, rows)
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
