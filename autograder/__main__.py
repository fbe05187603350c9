"""Command line: `python -m autograder release | check | grade SUBMISSIONS --out OUT [--jobs N] | execute`."""

import argparse
import os
import sys
from pathlib import Path

from autograder.course import UsageError, slugs


class _Parser(argparse.ArgumentParser):
    def error(self, message):  # one line, not argparse's usage block
        raise UsageError(f"{message} (see python -m autograder --help)")


def _parser():
    parser = _Parser(prog="python -m autograder", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    commands.add_parser("release", help="regenerate notebooks/<slug>.ipynb from solutions/")
    check = commands.add_parser("check", help="solutions score full marks, untouched notebooks 0, notebooks/ fresh")
    check.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="notebooks graded at once")
    grade = commands.add_parser("grade", help="grade SUBMISSIONS/<student_id>/<slug>.ipynb into --out")
    grade.add_argument("submissions", type=Path, help="folder with one subfolder per student")
    grade.add_argument("--out", type=Path, required=True, help="output folder: grades.csv, feedback/, gradebook.db")
    grade.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="notebooks graded at once")
    execute = commands.add_parser("execute", help="re-execute solutions/ in place (refreshes their outputs)")
    execute.add_argument("slugs", nargs="*", help="assignments to execute (default: all)")
    return parser


def main(argv=None):
    # nbgrader runs its environment's `alembic` executable: make sure it is found.
    os.environ["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"
    try:
        args = _parser().parse_args(argv)
        if args.command == "release":
            from autograder.release import release

            for path in release():
                print(f"wrote {path}")
        elif args.command == "execute":
            from autograder.execute import execute

            unknown = sorted(set(args.slugs) - set(slugs()))
            if unknown:
                raise UsageError(f"unknown assignment(s) {unknown}; choose from {slugs()}")
            execute(args.slugs)
        elif args.command == "grade":
            from autograder.grade import grade

            grade(args.submissions, args.out, jobs=args.jobs)
        elif args.command == "check":
            from autograder.check import check

            problems = check(jobs=args.jobs)
            for problem in problems:
                print(f"FAIL {problem}")
            print("check: OK" if not problems else f"check: {len(problems)} problem(s)")
            return 1 if problems else 0
    except UsageError as error:
        print(f"autograder: error: {error}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
