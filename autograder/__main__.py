"""Command line: `python -m autograder release | check | grade SUBMISSIONS --out OUT [--jobs N] | assignment | export
| report | gradescope | execute | validate`. Every path may be relative (to the folder the command runs in), start
with `~`, and hold spaces or any letters."""

import argparse
import os
import sys
from pathlib import Path

from autograder.course import UsageError, slugs


def _path(text):
    """A path as the user typed it: `~` expanded, relative to the current folder, made absolute here (the
    kernels run elsewhere, where a relative path would name another file)."""
    if not str(text).strip():
        raise argparse.ArgumentTypeError("an empty path")
    return Path(os.path.expanduser(text)).resolve()


def _column(text):
    slug, sep, name = text.partition("=")
    if not sep or not slug.strip() or not name.strip():
        raise argparse.ArgumentTypeError(f"expected SLUG=COLUMN NAME, got {text!r}")
    return slug.strip(), name.strip()


class _Parser(argparse.ArgumentParser):
    def error(self, message):  # one line, not argparse's usage block
        raise UsageError(f"{message} (see python -m autograder --help)")


def _parser():
    parser = _Parser(prog="python -m autograder", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    released = commands.add_parser("release", help="regenerate notebooks/<slug>.ipynb from solutions/")
    released.add_argument("--out", type=Path, help="write the class's copies here instead, with the course secret "
                          "(environment variable COURSE_SECRET) stamped in; required when COURSE_SECRET is set")
    check = commands.add_parser("check", help="solutions score full marks, untouched notebooks 0, notebooks/ fresh")
    check.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="notebooks graded at once")
    grade = commands.add_parser("grade", help="grade SUBMISSIONS/<student_id>/<slug>.ipynb into --out")
    grade.add_argument("submissions", type=_path, help="folder with one subfolder per student, or an LMS zip")
    grade.add_argument("--out", type=_path, required=True, help="output folder: grades.csv, feedback/, gradebook.db")
    grade.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="notebooks graded at once")
    grade.add_argument("--timeout", type=float, default=30,
                       help="seconds of the student's own computing per cell (default 30)")
    grade.add_argument("--budget", type=float,
                       help="wall-clock seconds for all of one notebook's code: every cell, the tests' calls, kernel "
                       "restarts, the hidden tests' run (default: 10 x --timeout, at least 60)")
    grade.add_argument("--memory", type=float, default=2,
                       help="GiB of memory per student, or per process where no cgroup v2 allows it (default 2)")
    grade.add_argument("--disk", type=float, default=512,
                       help="MiB that /tmp and the working folder may hold, per student (default 512)")
    grade.add_argument("--db-url", help="gradebook URL, e.g. postgresql://user@host/db (default: SQLite in --out)")
    grade.add_argument("--shard", default="1/1", help="grade only the K-th of N parts of the class, K/N, or auto "
                       "(from Slurm's SLURM_ARRAY_TASK_ID/COUNT, or Kubernetes' JOB_COMPLETION_INDEX with --shards)")
    grade.add_argument("--shards", type=int, help="with --shard auto on Kubernetes: N, the Indexed Job's completions")
    grade.add_argument("--deadline", help="ISO-8601, e.g. 2026-12-01T23:59:00+01:00 (UTC without an offset): the "
                       "deadline of the assignments this run grades, kept in the gradebook")
    grade.add_argument("--late-penalty", type=float, help="percent of the score off per day or part of a day late")
    grade.add_argument("--extensions", type=_path, help="CSV student_id,deadline (or student_id,days[,assignment]); "
                       "kept in the gradebook for every later regrade")
    grade.add_argument("--roster", type=_path, help="the class: nbgrader's student import CSV (id,first_name,"
                       "last_name,email), Canvas's gradebook export or a Moodle participants export; kept")
    grade.add_argument("--aliases", type=_path, help="CSV alias,student_id: a channel's id (hub login, canvas:<user "
                       "id>, moodle:<participant>) for a roster student; kept")
    grade.add_argument("--assignment", action="append", default=[], metavar="SLUG",
                       help="grade only this assignment (repeatable; default: every one handed in)")
    grade.add_argument("--submitted-times", type=_path,
                       help="CSV student_id,assignment,submitted: times exported from the LMS, to time deadlines")
    grade.add_argument("--zip-times", action="store_true", help="time deadlines by the LMS zip's entry times "
                       "(Canvas and Moodle stamp them with the download time: only for a zip that keeps real ones)")
    grade.add_argument("--manual-scores", type=_path, help="CSV student_id,assignment,grade_id,score of hand-graded cells")
    grade.add_argument("--run-all", action="store_true", help="also run the cells after the last test")
    grade.add_argument("--no-sandbox", action="store_true", help="run student code without the sandbox (unsafe)")
    assignment = commands.add_parser("assignment", help="set an assignment's deadline and late penalty in the gradebook")
    assignment.add_argument("slug", help="the assignment, e.g. 01_mini_batches")
    assignment.add_argument("--out", type=_path, required=True, help="the term's grade --out folder")
    assignment.add_argument("--db-url", help="the gradebook URL (default: SQLite in --out)")
    assignment.add_argument("--deadline", required=True, help="ISO-8601, e.g. 2026-12-01T23:59:00+01:00")
    assignment.add_argument("--late-penalty", type=float, required=True, help="percent off per day or part of a day")
    report = commands.add_parser("report", help="rebuild OUT/report.html from the gradebook alone")
    report.add_argument("--out", type=_path, required=True, help="where report.html goes (a grade --out folder)")
    report.add_argument("--db-url", help="the gradebook URL (default: SQLite in --out), e.g. after shards")
    export = commands.add_parser("export", help="write grades.csv from a gradebook (all shards merged)")
    export.add_argument("--db-url", help="the gradebook URL the shards wrote to")
    export.add_argument("--out", type=_path, help="a grade --out folder (its SQLite gradebook unless --db-url)")
    export.add_argument("--rescale", action="store_true",
                        help="canvas: scale scores to each column's Points Possible (default: cap at it, and say so)")
    export.add_argument("--column", type=_column, action="append", default=[], metavar="SLUG=NAME",
                        help="canvas: the gradebook column of an assignment whose name does not contain its slug")
    export.add_argument("--csv", type=_path, help="where to write (default: grades.csv, or OUT/grades.csv; "
                        "canvas.csv or moodle.csv with those formats)")
    export.add_argument("--format", choices=["csv", "canvas", "moodle"], default="csv",
                        help="csv: grades.csv; canvas: the --roster gradebook filled in; moodle: Moodle's import CSV")
    export.add_argument("--roster", type=_path, help="Canvas's gradebook export, or a Moodle participants CSV")
    export.add_argument("--manual-scores", type=_path, help="CSV student_id,assignment,grade_id,score to enter first")
    export.add_argument("--feedback", action="store_true",
                        help="with --out: write OUT/feedback/ again with the final grades (written answers counted)")
    scope = commands.add_parser("gradescope", help="build a Gradescope autograder zip for one assignment")
    scope.add_argument("slug", help="the assignment, e.g. 01_mini_batches")
    scope.add_argument("--out", type=_path, required=True, help="the zip to write")
    execute = commands.add_parser("execute", help="re-execute solutions/ in place (refreshes their outputs)")
    execute.add_argument("slugs", nargs="*", help="assignments to execute (default: all)")
    validate = commands.add_parser("validate", help="a student's self-check: run NOTEBOOK's visible tests as grading would")
    validate.add_argument("notebook", type=_path, help="the exercise notebook (.ipynb), saved")
    return parser


def main(argv=None):
    # nbgrader runs its environment's `alembic` executable: make sure it is found.
    os.environ["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"
    try:
        args = _parser().parse_args(argv)
        if args.command == "release":
            from autograder.release import release

            secret = os.environ.get("COURSE_SECRET", "")
            if secret and args.out is None:
                raise UsageError("COURSE_SECRET is set: release the class's copies with --out FOLDER (notebooks/ is "
                                 "public and never holds the secret)")
            for path in release(args.out, secret=secret) if args.out else release():
                print(f"wrote {path}")
        elif args.command == "execute":
            from autograder.run.execute import execute

            unknown = sorted(set(args.slugs) - set(slugs()))
            if unknown:
                raise UsageError(f"unknown assignment(s) {unknown}; choose from {slugs()}")
            execute(args.slugs)
        elif args.command == "grade":
            from autograder.records.intake import Term
            from autograder.run.grade import Options, grade
            from autograder.records.manual import load_csv
            from autograder.boundary.sandbox import Limits
            from autograder.records.shards import resolve_shard

            if not args.submissions.exists():  # before --out is made
                raise UsageError(f"submissions folder {str(args.submissions)!r} does not exist or is not a folder")
            if args.timeout <= 0 or args.memory <= 0 or args.disk <= 0 or (args.budget or 1) <= 0:
                raise UsageError("--timeout, --budget, --memory and --disk must be positive")
            limits = Limits(timeout=args.timeout, memory=int(args.memory * 2**30), disk=int(args.disk * 2**20),
                            budget=args.budget)
            grade(args.submissions, args.out, Options(
                jobs=args.jobs, limits=limits, sandbox=not args.no_sandbox, db_url=args.db_url,
                shard=resolve_shard(args.shard, args.shards), run_all=args.run_all,
                term=Term(args.deadline, args.late_penalty, args.extensions, args.roster, args.aliases,
                          args.submitted_times, args.zip_times, args.assignment),
                manual_scores=load_csv(args.manual_scores) if args.manual_scores else []))
        elif args.command == "assignment":
            from autograder.records.assignment import set_deadline

            print(set_deadline(args.slug, args.out, args.db_url, args.deadline, args.late_penalty))
        elif args.command == "report":
            from autograder.views import report

            db_url = args.db_url or f"sqlite:///{args.out / 'gradebook.db'}"
            if not args.db_url and not (args.out / "gradebook.db").is_file():
                raise UsageError(f"no gradebook in {str(args.out)!r}: run grade --out {args.out} first, or give --db-url")
            args.out.mkdir(parents=True, exist_ok=True)
            if not report.write(args.out / "report.html", db_url, args.out):
                raise UsageError("that gradebook holds no grades yet: run grade first")
        elif args.command == "export":
            from autograder.views.export import export

            if not args.out and not args.db_url:
                raise UsageError("export needs --out OUT (a grade --out folder) or --db-url URL (the shards' gradebook)")
            if args.out and not args.db_url and not (args.out / "gradebook.db").is_file():
                raise UsageError(f"no gradebook in {str(args.out)!r}: run grade --out {args.out} first")
            if args.feedback and not args.out:
                raise UsageError("--feedback needs --out OUT: the folder whose feedback pages to write again")
            db_url = args.db_url or f"sqlite:///{args.out / 'gradebook.db'}"
            name = "grades.csv" if args.format == "csv" else f"{args.format}.csv"
            export(db_url, args.csv or (args.out / name if args.out else Path(name).resolve()), args.format,
                   args.roster, args.manual_scores, args.out if args.feedback else None, out=args.out,
                   rescale=args.rescale, columns=dict(args.column))
        elif args.command == "gradescope":
            from autograder.gradescope import build

            print(f"wrote {build(args.slug, args.out)}")
        elif args.command == "validate":
            from autograder.validate import validate

            return validate(args.notebook)
        elif args.command == "check":
            from autograder.check import check

            problems = check(jobs=args.jobs)
            for problem in problems:
                print(f"FAIL {problem}")
            print("check: OK" if not problems else f"check: {len(problems)} problem(s)")
            return 1 if problems else 0
    except KeyboardInterrupt:
        print("autograder: interrupted", file=sys.stderr)
        return 130
    except UsageError as error:
        print(f"autograder: error: {error}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
