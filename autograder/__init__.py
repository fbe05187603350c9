"""The course's grading pipeline: `python -m autograder release|check|grade|execute`, nbgrader underneath."""
