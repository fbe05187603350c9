"""The progress bar while a class is graded, and the totals at the end."""

import sys
import time


class Progress:
    """`done/total`, a bar and an ETA on one line of stderr (one line per notebook when not a terminal)."""

    def __init__(self, total, stream=None, width=30):
        self.total, self.done, self.width = total, 0, width
        self.stream = stream or sys.stderr
        self.start = time.monotonic()
        self.live = self.stream.isatty()

    def update(self, message=""):
        self.done += 1
        elapsed = time.monotonic() - self.start
        eta = elapsed / self.done * (self.total - self.done)
        filled = int(self.width * self.done / max(self.total, 1))
        bar = f"[{'#' * filled}{'.' * (self.width - filled)}] {self.done}/{self.total} ETA {_clock(eta)}"
        if self.live:
            self.stream.write(f"\r{bar} {message[:60]:<60}")
            if self.done == self.total:
                self.stream.write("\n")
        else:
            self.stream.write(f"{bar} {message}\n")
        self.stream.flush()

    def elapsed(self):
        return time.monotonic() - self.start


def _clock(seconds):
    seconds = int(round(seconds))
    return f"{seconds // 60}:{seconds % 60:02d}"


def totals(rows, seconds):
    """One line: time taken, notebooks per minute, and how many were full, partial, zero and errored.

    Full means every autograded point: written answers (`row.by_hand`) wait for their grader."""
    count = {"full": 0, "partial": 0, "zero": 0, "errored": 0}
    for row in rows:
        if row.reason:
            count["errored"] += 1
        elif row.max_score > row.by_hand and row.score >= row.max_score - row.by_hand:
            count["full"] += 1
        elif row.score > 0:
            count["partial"] += 1
        else:
            count["zero"] += 1
    rate = len(rows) / seconds * 60 if seconds > 0 else 0
    by_hand = " (of the autograded points; written answers are graded by hand)" if any(r.by_hand for r in rows) else ""
    return (f"graded {len(rows)} notebooks in {seconds:.1f} s ({rate:.1f} per minute): "
            + ", ".join(f"{n} {k}" for k, n in count.items()) + by_hand)
