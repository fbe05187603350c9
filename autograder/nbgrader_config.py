"""nbgrader settings of the course, used by `python -m autograder` and by plain `nbgrader` commands.

A course directory made by `autograder.course.make_course` loads this file from its own
`nbgrader_config.py`, so instructors who know nbgrader can run it there directly.
"""

c = get_config()  # noqa: F821 (provided by traitlets when nbgrader loads this file)

c.ClearSolutions.code_stub = {"python": "# YOUR CODE HERE\nraise NotImplementedError()"}
c.ClearSolutions.text_stub = "YOUR ANSWER HERE"
c.Execute.timeout = 30  # seconds per cell
c.Execute.kernel_name = "python3"
