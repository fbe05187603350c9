"""The student's two commands, installed on the PATH by the student package (`make dist`) and by `make lab`:
`course-start 03` copies exercise 3 into the current folder (never over a file that is there), and
`course-check 03_momentum_rmsprop_adam.ipynb` is the self-check (`validate`).

The exercises are the released notebooks: package data of the student package (`autograder/notebooks/`),
or the clone's `notebooks/` in a clone.
"""

import argparse
import shutil
import sys
from pathlib import Path

from autograder.course import NOTEBOOKS, UsageError

PACKAGED = Path(__file__).with_name("notebooks")


def exercises(folder=None):
    """`{slug: path}` of the exercises this installation carries, in chapter order."""
    folder = Path(folder) if folder else PACKAGED if PACKAGED.is_dir() else NOTEBOOKS
    return {path.stem: path for path in sorted(folder.glob("*.ipynb"))}


def find(name, available):
    """The slug `name` means: a number (`3`, `03`), a slug, a notebook file name, or the unique start of one,
    with or without its number (`momentum`)."""
    key = name.strip().removesuffix(".ipynb").lower()
    if key.isdigit():
        matches = [slug for slug in available if slug.split("_", 1)[0].isdigit() and int(slug.split("_", 1)[0]) == int(key)]
    else:
        matches = [slug for slug in available if slug == key] or [
            slug for slug in available if slug.startswith(key) or slug.split("_", 1)[-1].startswith(key)]
    if len(matches) != 1:
        listed = ", ".join(slug.split("_", 1)[0] for slug in available)
        raise UsageError(f"no exercise {name!r}: give its number ({listed}) or its name; course-start --list "
                         "lists them")
    return matches[0]


def numbered(path):
    """`path` if it is free, else the first free `stem-2.ipynb`, `stem-3.ipynb`, ... beside it."""
    candidate, number = path, 2
    while candidate.exists():
        candidate, number = path.with_name(f"{path.stem}-{number}{path.suffix}"), number + 1
    return candidate


def start(names, folder=".", keep=False, copy=False, log=print):
    """Copy the exercises `names` ("all": every one) into `folder`; return the exit status.

    A file already there is the student's work and is never overwritten: it is reported and the status is 1,
    unless `keep` (it is then simply kept: `make lab` on a second run) or `copy` (a numbered fresh copy is
    written beside it)."""
    available = exercises()
    if not available:
        raise UsageError("this installation carries no exercises; reinstall the course package")
    slugs = list(available) if names == ["all"] else [find(name, available) for name in names]
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    status = 0
    for slug in slugs:
        target = folder / f"{slug}.ipynb"
        if target.exists() and keep:
            log(f"kept {target}: it is there already (your work)")
            continue
        if target.exists() and not copy:
            log(f"{target} is there already: nothing copied, your work is kept. For a fresh copy beside it: "
                f"course-start {slug.split('_', 1)[0]} --new")
            status = 1
            continue
        target = numbered(target)
        shutil.copyfile(available[slug], target)
        log(f"copied exercise {slug} to {target}; when done, save it and run: course-check {target.name}")
    return status


def start_main(argv=None):
    parser = argparse.ArgumentParser(
        prog="course-start", description="Copy an exercise notebook of the course into a folder (the current one "
        "by default). A notebook already there is never overwritten.")
    parser.add_argument("exercise", nargs="*", help="its number (03), its name, or all")
    parser.add_argument("--list", action="store_true", help="list the exercises")
    parser.add_argument("--dir", default=".", help="the folder to copy into (default: the current folder)")
    parser.add_argument("--new", action="store_true", help="if the notebook is there, write a numbered fresh copy")
    parser.add_argument("--keep", action="store_true", help="if the notebook is there, keep it and say so (status 0)")
    args = parser.parse_args(argv)
    if args.list or not args.exercise:
        for slug in exercises():
            print(f"  {slug.split('_', 1)[0]}  {slug}")
        print("course-start 03 copies exercise 3 into the current folder")
        return 0 if args.list else 2
    try:
        return start(args.exercise, args.dir, keep=args.keep, copy=args.new)
    except (UsageError, OSError) as error:
        print(f"course-start: {error}", file=sys.stderr)
        return 2


def check_main(argv=None):
    parser = argparse.ArgumentParser(
        prog="course-check", description="Check an exercise notebook as grading will: it runs top to bottom in a "
        "fresh kernel, and every visible test is listed PASSED or FAILED. Save the notebook first.")
    parser.add_argument("notebook", help="the saved notebook, e.g. 03_momentum_rmsprop_adam.ipynb")
    args = parser.parse_args(argv)
    from autograder.validate import validate

    def log(line):  # validate's lines, named for the command the student typed
        print("course-check" + line.removeprefix("validate") if line.startswith("validate") else line)

    try:
        return validate(args.notebook, log=log)
    except UsageError as error:
        print(f"course-check: {error}", file=sys.stderr)
        return 2


def start_entry():
    sys.exit(start_main())


def check_entry():
    sys.exit(check_main())
