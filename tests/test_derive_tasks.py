"""The derive and predict tasks, through the real `grade` path (kernel, sandbox where there is one, codec):
every student has numbers of their own, the answer appears nowhere a student can see, a classmate's numbers
earn nothing, and the model answers get full marks whatever the id.

Every task registered in `autograder.tasks` is covered, whichever exercise it belongs to.
"""

import html
import math
import re
from pathlib import Path

import nbformat
import pytest

from autograder.boundary.restore import is_answer, is_test
from autograder.release import release
from autograder.run.grade import Options, grade
from autograder.tasks import registry
from autograder.validate import validate
from notebook_cells import ROOT
from trainfaster.variants import RANGES, parameters

SECRET = "s3cret-of-the-term"
TASKS = registry()
SLUGS = sorted({slug for slug, _ in TASKS})
MODEL_IDS = ["ada-01", "Ada.Lovelace"]  # model answers (formulas): full marks under any id


def _answers_source(function, value):
    return f"def {function}(*args, **kwargs):\n    return {value!r}\n"


def _notebook(released, solution, student_id, answers=None):
    """The released notebook answered with the model answers, `answers` (function: source) replacing some, and
    `student_id` written in its id cell."""
    notebook = nbformat.from_dict(released)
    model = {c.metadata.nbgrader["grade_id"]: c.source for c in solution.cells if is_answer(c)}
    for cell in notebook.cells:
        if is_answer(cell) and cell.cell_type == "code":
            grade_id = cell.metadata.nbgrader["grade_id"]
            cell.source = (answers or {}).get(grade_id, model[grade_id])
        elif cell.cell_type == "code" and cell.source.startswith("STUDENT_ID ="):
            cell.source = f"STUDENT_ID = {student_id!r}\n" + cell.source.split("\n", 1)[1]
    return notebook


def _hidden_points(solution, functions):
    """The hidden part's points of the test cells of `functions` (each follows its answer cell)."""
    total, current = 0.0, None
    for cell in solution.cells:
        if is_answer(cell):
            current = cell.metadata.nbgrader["grade_id"]
        elif is_test(cell) and current in functions:
            points = cell.metadata.nbgrader["points"]
            total += points - points // 2 if points > 1 else points
    return total


def renderings(value):
    """How a number could be written where a student sees it: only forms distinctive enough to search for."""
    value = float(value)
    found = set()
    if value == int(value) and abs(value) >= 100:
        found.add(str(int(value)))
    elif value != int(value):
        for text in (repr(value), f"{value:.6g}", f"{value:.5g}", f"{value:.4g}", f"{value:.3g}"):
            if sum(ch.isdigit() for ch in text.lstrip("0.")) >= 3:
                found.add(text)
    return found


def leaked(text, answer):
    """The renderings of `answer`'s numbers that occur in `text`."""
    values = answer if isinstance(answer, tuple) else (answer,)
    hits = []
    for value in values:
        for shown in renderings(value):
            if re.search(rf"(?<![\d.]){re.escape(shown)}(?!\d)", text):
                hits.append(shown)
    return hits


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    """One class graded with a course secret: model answers under two ids, an honest student who worked out
    their own numbers, one with another STUDENT_ID, one with a wrong answer per task, one with a classmate's."""
    tmp = tmp_path_factory.mktemp("derive")
    released = {path.stem: nbformat.read(path, as_version=4) for path in release(tmp / "released", SLUGS, SECRET)}
    solutions = {slug: nbformat.read(ROOT / "solutions" / f"{slug}.ipynb", as_version=4) for slug in SLUGS}
    students = {student: {} for student in [*MODEL_IDS, "honest", "mismatch", "wrong", "copier"]}
    wrong = {}
    for (slug, function), task in TASKS.items():
        mine, classmate = parameters(slug, "honest", SECRET), parameters(slug, MODEL_IDS[0], SECRET)
        assert task.answer(mine) != task.answer(classmate), f"{function}: two ids with the same answer"
        students["honest"].setdefault(slug, {})[function] = _answers_source(function, task.answer(mine))
        students["copier"].setdefault(slug, {})[function] = _answers_source(function, task.answer(classmate))
        mistake, value = next(iter(task.wrong_answers(parameters(slug, "wrong", SECRET)).items()))
        wrong[(slug, function)] = mistake, value
        students["wrong"].setdefault(slug, {})[function] = _answers_source(function, value)
    for student, answers in students.items():
        folder = tmp / "class" / student
        folder.mkdir(parents=True)
        for slug in SLUGS:
            written = "someone-else" if student == "mismatch" else student
            nbformat.write(_notebook(released[slug], solutions[slug], written, answers.get(slug)), folder / f"{slug}.ipynb")
    pytest.MonkeyPatch().setenv("COURSE_SECRET", SECRET)
    try:
        rows = grade(tmp / "class", tmp / "out", Options(jobs=2, sandbox=None), log=lambda line: None)
    finally:
        pytest.MonkeyPatch().delenv("COURSE_SECRET", raising=False)
    return tmp, {(r.student_id, r.assignment): r for r in rows}, released, solutions, wrong


def test_every_exercise_with_tasks_has_its_parameters_declared():
    for slug, function in TASKS:
        task = TASKS[(slug, function)]
        assert set(task.arguments) <= set(RANGES[slug]), f"{slug} {function}: undeclared parameters"


def test_numbers_differ_between_ids_and_secrets():
    for slug in SLUGS:
        draws = {tuple(parameters(slug, f"student-{k}").items()) for k in range(40)}
        assert len(draws) > 20, f"{slug}: 40 ids share {len(draws)} sets of numbers"
        assert parameters(slug, "ada-01") != parameters(slug, "ada-01", SECRET) or \
            parameters(slug, "bob") != parameters(slug, "bob", SECRET)
        assert parameters(slug, " ADA-01 ") == parameters(slug, "ada-01"), "ids are compared normalized"


def test_model_answers_get_full_marks_under_any_id(graded):
    _, rows, *_ = graded
    for student in [*MODEL_IDS, "honest", "mismatch"]:
        for slug in SLUGS:
            row = rows[(student, slug)]
            assert not row.reason and row.score == row.max_score - row.by_hand, (student, slug, row)


def test_a_classmates_numbers_and_wrong_numbers_earn_only_the_visible_part(graded):
    _, rows, _, solutions, _ = graded
    for student in ["copier", "wrong"]:
        for slug in SLUGS:
            functions = {f for s, f in TASKS if s == slug}
            full = rows[(MODEL_IDS[0], slug)].score
            assert rows[(student, slug)].score <= full - _hidden_points(solutions[slug], functions), (student, slug)


def test_a_notebook_with_another_id_is_noted(graded):
    _, rows, *_ = graded
    for slug in SLUGS:
        assert "STUDENT_ID is 'someone-else'" in rows[("mismatch", slug)].notes
        assert "STUDENT_ID" not in rows[("honest", slug)].notes


def test_wrong_answers_are_told_the_mistake_never_the_answer(graded):
    tmp, _, _, _, wrong = graded
    grades = (tmp / "out" / "grades.csv").read_text()
    for slug in SLUGS:
        page = (tmp / "out" / "feedback" / "wrong" / f"{slug}.html").read_text()
        lines = []
        validate(tmp / "class" / "wrong" / f"{slug}.ipynb", log=lines.append)
        shown = {"feedback page": page, "grades.csv": grades, "validate": "\n".join(lines),
                 "released notebook": (tmp / "released" / f"{slug}.ipynb").read_text()}
        book = ROOT / "_build" / "html" / "book" / f"{slug}.html"
        if book.exists():
            shown["chapter page"] = book.read_text()
        for (task_slug, function), task in TASKS.items():
            if task_slug != slug:
                continue
            answer = task.answer(parameters(slug, "wrong", SECRET))
            mistake, written = wrong[(slug, function)]
            # the student's own values are theirs to see: only the others count
            answer = tuple(a for a, w in zip(answer, written) if a != w) if isinstance(answer, tuple) else answer
            for where, text in shown.items():
                assert not leaked(text, answer), f"{function}: the answer {answer} shows in the {where}"
            kind = html.escape(mistake.split(": ", 1)[1][:50], quote=False)
            assert kind in " ".join(page.split()).replace("&#x27;", "'").replace("&quot;", '"'), \
                f"{function}: the feedback does not say what kind of mistake it is ({mistake!r})"


def test_release_stamps_the_secret_and_keeps_checksums_valid(graded):
    tmp, _, released, *_ = graded
    lines = []
    for slug in SLUGS:
        assert f"COURSE_SECRET = {SECRET!r}" in (tmp / "released" / f"{slug}.ipynb").read_text()
    validate(tmp / "class" / MODEL_IDS[0] / f"{SLUGS[0]}.ipynb", log=lines.append)
    assert not any("was edited" in line for line in lines), lines


def test_renderings_are_searched_at_number_boundaries():
    assert leaked("x = 0.0123457 ...", 0.012345678) and not leaked("10.01234", 0.01234)
    assert not leaked("step 16", 16) and leaked("t = 4613.", 4613)
    assert math.isfinite(float(next(iter(renderings(2 / 3)))))


def _chapter_answers(slug):
    import importlib.util

    spec = importlib.util.spec_from_file_location(slug, ROOT / "tests" / "wrong_answers" / f"{slug}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_known_answers_hold_whatever_the_id():
    """Over 100 ids, every WRONG answer on file for a task fails and every RIGHT one and the model answer pass:
    a mistake is never right by chance for some student's numbers (the ranges are chosen for it)."""
    import math

    import numpy as np
    import torch

    from autograder.tasks import check_task

    for slug in SLUGS:
        module = _chapter_answers(slug)
        model = {c.metadata.nbgrader["grade_id"]: c.source for c in nbformat.read(
            ROOT / "solutions" / f"{slug}.ipynb", as_version=4).cells if is_answer(c)}
        for (task_slug, function), task in TASKS.items():
            if task_slug != slug:
                continue
            cases = [("WRONG", n, s) for n, s in module.WRONG.get(function, {}).items()]
            cases += [("RIGHT", n, s) for n, s in module.RIGHT.get(function, {}).items()] + [("RIGHT", "model", model[function])]
            for kind, name, source in cases:
                namespace = {"np": np, "torch": torch, "math": math}  # what the notebooks' setup cells import
                exec(source, namespace)
                for k in range(100):
                    identity = {"GRADING_IDENTITY": {"student_id": f"id-{k}", "secret": SECRET}}
                    try:
                        check_task(slug, function, namespace[function], identity)
                        passed = True
                    except AssertionError:
                        passed = False
                    assert passed == (kind == "RIGHT"), f"{slug} {function} {kind} {name!r} for id-{k}"


def test_the_notebooks_id_is_read_without_running_it_and_hostile_ids_hurt_nobody():
    """The id a notebook declares is read from its source (no code runs); a missing, odd or enormous one only gets
    that notebook a note, and its tasks are graded with the collected id whatever it says."""
    from autograder.tasks import declared_id, id_note

    def notebook(*sources):
        return nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(s) for s in sources])

    slug = SLUGS[0]
    assert declared_id(notebook('STUDENT_ID = "x"', 'STUDENT_ID = " Ada.Lovelace "')) == " Ada.Lovelace "
    assert id_note(notebook('STUDENT_ID = " Ada.Lovelace "'), slug, "ada.lovelace") == ""
    for sources in [(), ('STUDENT_ID = ""',), ("STUDENT_ID = {'a': 1}",), ("STUDENT_ID = open('/etc/passwd').read()",),
                    ("STUDENT_ID = (",), ("(" * 100000,)]:
        assert id_note(notebook(*sources), slug, "ada") == "", sources  # none written: nothing to compare
    note = id_note(notebook(f"STUDENT_ID = {'=HYPERLINK(1)' * 10000!r}"), slug, "ada")
    assert note.startswith("STUDENT_ID is '=HYPERLINK") and "graded with the numbers of 'ada'" in note and len(note) < 300
    assert id_note(notebook("x = 1"), "no_such_exercise", "ada") == ""


def test_gradescope_grades_the_numbers_of_the_uploader(tmp_path):
    """On Gradescope the id is the uploader's (`submission_metadata.json`): a notebook that declares their
    e-mail gets their numbers; a classmate's notebook uploaded by them is graded with the uploader's numbers
    and says so; a malformed or hostile metadata file never decides an id."""
    import json

    from autograder import gradescope

    slug, function = next(key for key in sorted(TASKS) if key[0] == "01_mini_batches")
    task = TASKS[(slug, function)]
    released = nbformat.read(ROOT / "notebooks" / f"{slug}.ipynb", as_version=4)
    solution = nbformat.read(ROOT / "solutions" / f"{slug}.ipynb", as_version=4)
    root = tmp_path / "autograder"
    (root / "submission").mkdir(parents=True)
    metadata = {"users": [{"email": "Ada.Lovelace@uni.example", "sid": "", "name": "Ada"}]}
    (root / "submission_metadata.json").write_text(json.dumps(metadata))

    def upload(student_id, numbers_of):
        answer = _answers_source(function, task.answer(parameters(slug, numbers_of, "")))
        notebook = _notebook(released, solution, student_id, {function: answer})
        notebook.cells = [c for c in notebook.cells  # no experiment cell: faster
                          if c.cell_type != "code" or "nbgrader" in c.metadata or c.source.startswith("STUDENT_ID")]
        nbformat.write(notebook, root / "submission" / f"{slug}.ipynb")
        report = gradescope.run(slug, root)
        return next(t for t in report["tests"] if t["name"] == f"test_{function}"), report

    test, _ = upload("ada.lovelace@uni.example", "ada.lovelace@uni.example")
    assert test["score"] == test["max_score"], test
    test, report = upload("bob", "bob")
    assert test["score"] < test["max_score"]
    assert "STUDENT_ID is 'bob', not the id this notebook was collected under" in report["output"]

    def chosen(metadata_text, declared="x"):
        (root / "submission_metadata.json").write_text(metadata_text)
        notebook = _notebook(released, solution, declared)
        nbformat.write(notebook, root / "submission" / f"{slug}.ipynb")
        return gradescope.submitter(root, root / "submission" / f"{slug}.ipynb")

    both = {"users": [{"email": "ada@uni.example", "sid": "S123"}]}
    assert chosen(json.dumps(both), "ada@uni.example") == "ada@uni.example"
    assert chosen(json.dumps(both), "S123") == "s123"
    assert chosen(json.dumps(both), "bob") == "s123"  # not theirs: their student ID
    for hostile in ["", "{", "[]", '{"users": 5}', '{"users": [{"email": "../../etc"}]}', '{"users": [null]}']:
        assert chosen(hostile) == gradescope.STUDENT, hostile


def _bounds():
    """{(slug, function, value): the real-valued bound whose floor or ceiling is the answer}, for the tasks whose
    answer is a whole number read off a bound."""
    from autograder.tasks import exponentially_weighted_averages as ewa
    from autograder.tasks import hyperparameter_tuning as tuning
    from autograder.tasks import momentum_rmsprop_adam as adam

    return {("02_exponentially_weighted_averages", "predict_ewa", "first_step"): ewa._bound,
            ("02_exponentially_weighted_averages", "ema_weight_shares", "steps_until_below"):
                lambda p: math.log(p["first_share"]) / math.log(p["ema_decay"]),
            ("03_momentum_rmsprop_adam", "steps_until_correction_below", "t"): adam._bound,
            ("05_hyperparameter_tuning", "random_search_hits", "trials_needed"): tuning._needed_exact}


def test_no_mistake_on_file_comes_near_the_answer_for_any_parameter_set():
    """Over every combination of every registered task's ranges (not only the ids sampled above), each mistake on file
    lies more than 5 tolerances from the right value (an exact count, rtol = 0: differs at all), so a student who makes
    it is never graded right and gets its message, and a right answer within tolerance is never taken for it. The
    ranges are chosen for it (`trainfaster.variants`): where a "mistake" gives the answer for some numbers (an
    approximation exact enough there, a rounding that happens to land right), those numbers are left out. Each task
    also keeps many distinct answers (at least half as many as combinations), so classmates' numbers differ.

    Two different messages of one value never lie within 2 tolerances of each other either (a value within tolerance
    of both would be told only the first): `Value.mistakes` is a list of pairs, not a dict, so such a coincidence
    shows here instead of one message silently replacing the other. One value with two real causes carries one
    message naming both; otherwise the ranges keep the mistakes apart.

    Where the answer is the floor or the ceiling of a bound (`_bounds`), the bound lies at least 0.02 from every
    integer: nearer, float32 arithmetic or a loop's rounding can cross the integer and a right method gets the
    wrong count (ch. 3's (0.999, 1.05) gave 3042.99992).

    Past cases: the rule of thumb equal to the exact count (first_share = 0.2), "one step short" within 2e-3 of
    recent_share, a swapped Phi/phi equal to ei_a at z_a = 1, beta2**t < threshold - 1 giving the exact step for
    thresholds near 1, 1/(n + 1) within tolerance of 1/n for n above 100, rounding the survivors up leaving the number
    of successive halving's rounds unchanged; mistakes coinciding with each other: "rounds the survivors up" and "one
    round too many" (always), PyTorch's momentum edge and half the edge at beta = 0.5, "forgets gamma" and the sign
    or the 1/2 at gamma = -1 and 0.5, level and (1 - beta) * steps * level at (1 - beta) * steps = 1."""
    import itertools

    from autograder.tasks import _close, named_mistakes

    bounds = _bounds()
    failures = []
    for (slug, function), task in sorted(TASKS.items()):
        keys = task.arguments
        combinations = list(itertools.product(*(RANGES[slug][k] for k in keys)))
        answers = set()
        for combination in combinations:
            params = dict(zip(keys, combination))
            answers.add(repr(task.answer(params)))
            for value in task.values:
                right = value.expected(params)
                listed = value.mistakes(params)
                assert isinstance(listed, (list, tuple)), f"{function}.{value.name}: mistakes is a list of pairs"
                pairs = named_mistakes(value, params)
                for wrong, why in pairs:
                    if abs(wrong - right) <= 5 * value.rtol * abs(right) + 1e-12:
                        failures.append(f"{slug} {function}.{value.name} for {params}: {wrong!r} ({why[:60]}...) is "
                                        f"within 5 tolerances of {right!r}")
                for (w1, m1), (w2, m2) in itertools.combinations(pairs, 2):
                    if m1 != m2 and (_close(w1, w2, 2 * value.rtol) or _close(w2, w1, 2 * value.rtol)):
                        failures.append(f"{slug} {function}.{value.name} for {params}: two messages for {w1!r} and "
                                        f"{w2!r}: {m1[:50]!r} and {m2[:50]!r}")
                bound = bounds.get((slug, function, value.name))
                if bound is not None:
                    x = bound(params)
                    if abs(x - round(x)) < 0.02:
                        failures.append(f"{slug} {function}.{value.name} for {params}: the bound {x!r} lies within "
                                        "0.02 of an integer")
        assert 2 * len(answers) >= len(combinations), f"{function}: {len(answers)} answers for {len(combinations)} sets"
    assert not failures, f"{len(failures)} collisions, e.g.\n" + "\n".join(failures[:10])


def test_every_wrong_answer_on_file_is_wrong_for_every_parameter_set():
    """Each WRONG answer on file for a task (`tests/wrong_answers/<slug>.py`) is graded wrong for every combination of
    the task's ranges, not only for the 100 ids above: a slip the ranges make exact enough somewhere (e.g. chapter 4's
    e**x / decay_rate without the -1 at base = 0.98, 6.8 % off with a tolerance of 8 %) is found here even where it is
    too near the answer to be a named mistake."""
    import itertools

    import numpy as np
    import torch

    from autograder.tasks import _close

    failures = []
    for slug in SLUGS:
        module = _chapter_answers(slug)
        for (task_slug, function), task in sorted(TASKS.items()):
            if task_slug != slug:
                continue
            keys = task.arguments
            combinations = list(itertools.product(*(RANGES[slug][k] for k in keys)))
            for name, source in module.WRONG.get(function, {}).items():
                namespace = {"np": np, "torch": torch, "math": math}
                exec(source, namespace)
                for combination in combinations:
                    params = dict(zip(keys, combination))
                    try:
                        with np.errstate(all="ignore"):
                            given = namespace[function](**params)
                    except Exception:  # noqa: BLE001 -- an answer that raises is graded wrong
                        continue
                    given = given if len(task.values) > 1 else (given,)
                    if (isinstance(given, (tuple, list)) and len(given) == len(task.values)
                            and all(isinstance(g, (int, float, np.number)) and not isinstance(g, bool)
                                    and _close(float(g), v.expected(params), v.rtol)
                                    for g, v in zip(given, task.values))):
                        failures.append(f"{slug} {function} {name!r} is graded right for {params}")
                        break
    assert not failures, "\n".join(failures)
