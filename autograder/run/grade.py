"""`grade`: a class of submissions in; grades.csv, safe feedback, the integrity report and the gradebook out.

The main process finds the submissions, sets up nbgrader's course (its gradebook records every assignment's
cells), then hands notebooks to `--jobs` worker processes. Each worker grades one notebook at a time with
a fresh sandboxed kernel (`checker`) and writes its feedback page; the main process alone writes the
gradebook (nbgrader's `SaveAutoGrades`), so SQLite is never written by two processes at once.
"""

import concurrent.futures
import multiprocessing
import os
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from autograder.records import deadlines, final, gradebook, intake
from autograder.boundary import integrity, reading
from autograder.boundary.remote import KernelCannotStart
from autograder.views import page, report, untrusted
from autograder.course import UsageError, make_course, slugs
from autograder.run.progress import Progress, totals
from autograder.boundary.sandbox import FALLBACK, Limits, check_sandbox, describe
from autograder.records.submissions import in_shard
from autograder.boundary.withhold import library_copy
from autograder.run.worker import grade_notebook, warm_up


@dataclass
class Row:
    """One line of grades.csv."""

    student_id: str
    assignment: str
    score: float
    max_score: float
    reason: str = ""  # why it was not graded (then the score is 0)
    notes: str = ""  # what happened while it was graded: restored cells, a stopped kernel...
    by_hand: float = 0.0  # the points of max_score that written answers, graded by hand, hold


@dataclass
class Options:
    """How to grade: parallelism, limits, sandbox, where the gradebook is, which shard."""

    jobs: int = os.cpu_count() or 1
    limits: Limits = field(default_factory=Limits)
    sandbox: bool | None = True  # None: use it if this machine can, else grade without (for `check`)
    db_url: str | None = None
    shard: tuple[int, int] = (1, 1)
    run_all: bool = False  # also run the cells after the last test (they cannot change a grade)
    term: intake.Term | None = None  # roster, aliases, deadline, extensions, times (`intake`)
    manual_scores: list = field(default_factory=list)  # hand-graded scores to enter (`manual.load_csv`)


def grade(submissions, out, options=None, log=print):
    """Grade every notebook in `submissions` (a folder, or an LMS zip) into `out`; return the rows."""
    options = options or Options()
    if options.jobs < 1:
        raise UsageError(f"--jobs must be at least 1, got {options.jobs}")
    out = Path(out).expanduser().resolve()
    if out.exists() and not out.is_dir():
        raise UsageError(f"--out {str(out)!r} exists and is not a folder")
    submissions = Path(submissions).expanduser().resolve()  # the kernels start elsewhere: no relative path
    if submissions in (out, *out.parents):
        raise UsageError("--out must not be the submissions folder or inside it")
    use_sandbox = _decide_sandbox(options.sandbox)
    log(describe(options.limits, use_sandbox))
    out.mkdir(parents=True, exist_ok=True)
    db_url = gradebook.normalize_url(options.db_url or f"sqlite:///{out / 'gradebook.db'}")
    taken = intake.gather(submissions, out, db_url, options.term, slugs(), log=log)
    class_ = [s for s in taken.class_ if in_shard(s.student_id, *options.shard)]
    assignments = sorted({s.slug for s in class_})
    page.install(out)  # the feedback pages' MathJax, in OUT/_static
    context = multiprocessing.get_context("spawn")
    with concurrent.futures.ProcessPoolExecutor(options.jobs, mp_context=context) as pool, \
            tempfile.TemporaryDirectory(prefix="autograder-library-") as libraries:
        for _ in range(options.jobs):
            pool.submit(warm_up)  # the workers start while nbgrader sets up the course
        with gradebook.setup_lock(db_url):
            make_course(out / "course", db_url, assignments)
            book = gradebook.Book(db_url)  # creates its own tables: under the lock too
        try:
            replaced = book.graded_before((s.student_id, s.slug) for s in class_)
            library = {slug: library_copy(slug, libraries) for slug in assignments}
            late = intake.lateness(taken, db_url, options.term, log=log)
            late = {key: value for key, value in late.items() if in_shard(key[0], *options.shard)}
            rows, cannot_start = _grade_class(pool, class_, out, options, use_sandbox, book, log, library, late)
            if options.manual_scores:
                from autograder.records.manual import enter

                log(f"entered {enter(book.nbgrader, options.manual_scores)} hand-graded score(s)")
            with gradebook.setup_lock(db_url):  # their tables may be created here: one machine at a time
                deadlines.record(db_url, [(s.student_id, s.slug, late.get((s.student_id, s.slug))) for s in class_])
                if taken.zipped:
                    from autograder.records.lms_export import record

                    record(db_url, list(taken.zipped.values()))
            _write_reports(out, book, options.shard, replaced, log)
        finally:
            book.close()
    for line in intake.summary(taken):
        log(line)
    report.keep_verdicts(db_url, out, class_)
    report.write(out / "report.html", db_url, out, log=log)
    if cannot_start:  # an error of the run, never a silent 0 for the class
        raise UsageError(f"{len(cannot_start)} notebook(s) not graded, because {cannot_start[0]}; their rows in "
                         "grades.csv say so: fix the cause and grade again")
    return rows


def _write_reports(out, book, shard, replaced, log):
    """grades.csv (`final`) and integrity.csv: the whole gradebook (of this shard), rows graded again replaced."""
    def keep(student_id):
        return in_shard(student_id, *shard)

    results = final.rows(book.db_url, keep)
    final.write(out / "grades.csv", results)
    integrity.write(out / "integrity.csv", book.flags(keep))
    if replaced:
        names = ", ".join(f"{student}/{slug}" for student, slug in replaced[:10])
        more = f" and {len(replaced) - 10} more" if len(replaced) > 10 else ""
        log(f"regraded: {len(replaced)} notebook(s) were graded before and were replaced ({names}{more}); "
            f"grades.csv keeps all {len(results)} row(s) of the gradebook")


def _decide_sandbox(wanted):
    if wanted is False or wanted == FALLBACK:
        return wanted
    try:
        check_sandbox()
    except UsageError:
        if wanted is None:
            return False
        raise
    return True


def _grade_class(pool, class_, out, options, use_sandbox, book, log, library, late):
    max_scores = {slug: book.max_score(slug) for slug in {s.slug for s in class_}}
    by_hand = {slug: book.hand_graded_points(slug) for slug in max_scores}
    progress = Progress(len(class_))
    rows, flags, work = [], [], []  # flags: of this run, for the summary line
    for submission in class_:
        if submission.problem:
            row = Row(submission.student_id, submission.slug, 0, max_scores[submission.slug], submission.problem,
                      by_hand=by_hand[submission.slug])
            book.save_missing(row.assignment, row.student_id)
            _finish(book, rows, row, progress)
        else:
            work.append(submission)
    cache = _matplotlib_cache(Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "trainfaster-autograder")
    futures, cannot_start = {}, []
    for s in work:
        try:
            notebook = reading.read(s.path)  # every step on a student's bytes here: that student's reason
        except reading.Refused as refused:
            row = Row(s.student_id, s.slug, 0, max_scores[s.slug], str(refused), by_hand=by_hand[s.slug])
            book.save_missing(row.assignment, row.student_id)
            _finish(book, rows, row, progress)
            continue
        futures[pool.submit(grade_notebook, s.student_id, s.slug, notebook, str(s.path.parent.resolve()), str(out),
                            options.limits, use_sandbox, str(cache), options.run_all, str(library[s.slug]),
                            late.get((s.student_id, s.slug)))] = s
    for future in concurrent.futures.as_completed(futures):
        submission = futures[future]
        found = []
        try:
            graded, found, notes = future.result()
            score = book.save_graded(submission.slug, submission.student_id, nbformat.from_dict(graded))
            row = Row(submission.student_id, submission.slug, score, max_scores[submission.slug], notes=notes,
                      by_hand=by_hand[submission.slug])
            nbformat.write(untrusted.stored_copy(nbformat.from_dict(graded)), _autograded_path(out, submission))
            flags += [(submission.student_id, submission.slug) for _ in found]
        except (Exception, KernelCannotStart) as error:  # the grader's own failure: this notebook only
            if isinstance(error, KernelCannotStart):
                cannot_start.append(str(error))
            book.nbgrader.db.rollback()  # a failed save leaves nbgrader's session to roll back
            row = Row(submission.student_id, submission.slug, 0, max_scores[submission.slug],
                      f"not graded: {type(error).__name__}: {str(error)[:300]}", by_hand=by_hand[submission.slug])
            book.save_missing(row.assignment, row.student_id)
        _finish(book, rows, row, progress, found)
    log(totals(rows, progress.elapsed()))
    if flags:
        log(f"integrity: {len(flags)} flag(s) in {len(set(flags))} notebook(s) to review: {out / 'integrity.csv'}")
    return rows, cannot_start


def _finish(book, rows, row, progress, flags=()):
    book.record(row, flags)
    rows.append(row)
    progress.update(f"{row.student_id} {row.assignment}: {row.score:g}/{row.max_score:g}"
                    + (f" ({row.reason})" if row.reason else ""))


def _autograded_path(out, submission):
    """Where nbgrader keeps autograded notebooks, so formgrader and generate_feedback find them."""
    path = out / "course" / "autograded" / submission.student_id / submission.slug / f"{submission.slug}.ipynb"
    path.parent.mkdir(parents=True, exist_ok=True)
    return path


def _matplotlib_cache(folder):
    """matplotlib's font cache, built once per matplotlib version and copied into each kernel's scratch
    folder (building it takes seconds)."""
    import matplotlib

    cache = folder / f"matplotlib-{matplotlib.__version__}"
    if not (cache / "done").exists():
        cache.mkdir(parents=True, exist_ok=True)
        subprocess.run([sys.executable, "-c", "import matplotlib.font_manager"], check=False, capture_output=True,
                       env={**os.environ, "MPLCONFIGDIR": str(cache), "MPLBACKEND": "Agg"})
        (cache / "done").write_text("")
    return cache
