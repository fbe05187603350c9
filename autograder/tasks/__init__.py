"""The derive and predict tasks, graded on the grader's side only: their answers never ship to students (this
package is the instructor's; `validate`, which students run, does not import it).

Each task is a function the student writes, taking the parameters `trainfaster.variants` draws from their id
(e.g. `predict_mini_batches(m, mini_batch_size)`) and returning numbers, worked out by hand or by a formula.
A module of this package per exercise lists its tasks (`TASKS`); a hidden test calls

    check_task(slug, function_name, the_student_function, globals())

which draws the parameters of the id the grader collected the notebook under (and the course secret), calls
the student's function with them and compares with the answer computed here. A wrong value is told what kind
of mistake it looks like, never the right value. Outside the grader (nbval, `execute`), the notebook's own
`STUDENT_ID` and `COURSE_SECRET` stand in.
"""

import ast
import importlib
import math
import numbers
import pkgutil
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Callable

from autograder.run.checker import IDENTITY, GraderMessage
from trainfaster.variants import normalize_id, parameters

ID_NAME = "STUDENT_ID"  # the notebook's own id cell assigns it
SECRET_NAME = "COURSE_SECRET"  # the notebook's locked parameter cell assigns it (`release` stamps it)


class Diagnosis(GraderMessage):
    """A derive task's wrong answer, as the grader words it: the student's own numbers and the kind of mistake,
    never the answer nor anything the student's code wrote. Safe to show in the feedback, hidden part or not."""


@dataclass
class Value:
    """One number of a task's answer: its name, how close counts as right, and what a wrong value means."""

    name: str
    expected: Callable[[dict], float]  # from the parameters
    rtol: float = 1e-3  # relative tolerance (an exact count still accepts a float like 16.0)
    # [(wrong value, what it means), ...], from the parameters: a list, not a dict, so that two mistakes giving the
    # same value stay visible (tests/test_derive_tasks.py requires that no value carries two messages; one value
    # with two causes has one message that names both); the grader takes the first that matches
    mistakes: Callable[[dict], list] = lambda p: []
    hint: str = ""  # said when a wrong value matches no known mistake (never the answer)


@dataclass
class Task:
    """A derive or predict task: the student's function `function` of the parameters `arguments`."""

    slug: str
    function: str
    arguments: tuple
    values: list = field(default_factory=list)

    def answer(self, params):
        """The right answer for these parameters: one number, or a tuple of them."""
        numbers_ = tuple(v.expected(params) for v in self.values)
        return numbers_[0] if len(numbers_) == 1 else numbers_

    def wrong_answers(self, params):
        """`{mistake: a whole answer with that one value wrong}`, for the tests (the first message of a value)."""
        right = self.answer(params)
        found = {}
        for index, value in enumerate(self.values):
            for wrong, why in named_mistakes(value, params):
                if _close(wrong, value.expected(params), value.rtol) or f"{value.name}: {why}" in found:
                    continue
                if len(self.values) == 1:
                    found[f"{value.name}: {why}"] = wrong
                else:
                    found[f"{value.name}: {why}"] = tuple(wrong if i == index else r for i, r in enumerate(right))
        return found


@lru_cache(maxsize=None)
def registry():
    """`{(slug, function): Task}` from every module of this package."""
    tasks = {}
    for module in pkgutil.iter_modules(__path__):
        for task in importlib.import_module(f"{__name__}.{module.name}").TASKS:
            tasks[(task.slug, task.function)] = task
    return tasks


def named_mistakes(value, params):
    """`value`'s known mistakes for these parameters, as a list of (wrong value, what it means), in order."""
    found = value.mistakes(params)
    return list(found.items() if isinstance(found, dict) else found)


def _close(actual, expected, rtol):
    return abs(actual - expected) <= rtol * abs(expected) + 1e-12


def identity(namespace):
    """`(student id, secret)` to grade with: the grader's, or outside it the notebook's own."""
    given = namespace.get(IDENTITY)
    if isinstance(given, dict):
        return str(given.get("student_id", "")), str(given.get("secret", ""))
    student_id, secret = namespace.get(ID_NAME, ""), namespace.get(SECRET_NAME, "")
    return (student_id if isinstance(student_id, str) else ""), (secret if isinstance(secret, str) else "")


def check_task(slug, function, student_function, namespace):
    """Grade `student_function` on the parameters of the id being graded; raise an AssertionError naming the
    mistake (never the right value) if an answer is wrong."""
    task = registry()[(slug, function)]
    student_id, secret = identity(namespace)
    params = parameters(slug, student_id, secret)
    arguments = {name: params[name] for name in task.arguments}
    shown = ", ".join(f"{k}={v!r}" for k, v in arguments.items())
    answer = student_function(**arguments)
    answers = answer if len(task.values) > 1 else (answer,)
    if len(task.values) > 1 and (not isinstance(answer, (tuple, list)) or len(answer) != len(task.values)):
        count = f" of {len(answer)}" if isinstance(answer, (tuple, list)) else ""
        raise Diagnosis(f"{function}({shown}) returned a {type(answer).__name__}{count}; return {len(task.values)} "
                        f"numbers: ({', '.join(v.name for v in task.values)}).")
    for value, given in zip(task.values, answers):
        if isinstance(given, bool) or not isinstance(given, numbers.Real):
            raise Diagnosis(f"{value.name} is a {type(given).__name__}; write it as a number.")
        if not math.isfinite(float(given)):
            raise Diagnosis(f"{value.name} is {float(given)}; write it as a finite number.")
        given = float(given)
        if _close(given, value.expected(params), value.rtol):
            continue
        known = next((why for wrong, why in named_mistakes(value, params)
                      if _close(given, wrong, value.rtol) and not _close(wrong, value.expected(params), value.rtol)),
                     None)
        where = f"{function}({shown}) gives {value.name} = {given:.6g}"
        if known:
            raise Diagnosis(f"{where}: {known}")
        error = Diagnosis(f"{where}, which is not what the derivation gives for these numbers (graded with the "
                               f"numbers of the id your notebook was collected under). {value.hint}".strip())
        error.generic = True  # no known mistake matched: the report counts it as a message that names none
        raise error


def declared_id(notebook):
    """The last `STUDENT_ID = "..."` a code cell of `notebook` assigns (None if none does), read without running
    anything."""
    found = None
    for cell in notebook.cells:
        if cell.get("cell_type") != "code":
            continue
        try:
            body = ast.parse(cell.get("source", "")).body
        except (SyntaxError, ValueError, RecursionError, MemoryError):
            continue
        for node in body:
            if (isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == ID_NAME for t in node.targets)
                    and isinstance(node.value, ast.Constant) and isinstance(node.value.value, str)):
                found = node.value.value
    return found


def id_note(notebook, slug, collected):
    """A note for grades.csv when the notebook declares a STUDENT_ID that is not the id it was collected under
    ("" if it is the same, if none is written, or if the exercise has no per-student task)."""
    written = declared_id(notebook)
    if not any(key[0] == slug for key in registry()) or not (written or "").strip():
        return ""
    try:
        if normalize_id(written) == normalize_id(collected):
            return ""
    except (TypeError, ValueError):
        pass
    return (f"STUDENT_ID is {written.strip()[:60]!r}, not the id this notebook was collected under: its derive and "
            f"predict tasks were graded with the numbers of {collected!r}")
