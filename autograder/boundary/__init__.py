"""Everything between the grader and a student's code: the sandbox, the kernel and its codec, withholding the
library's references, restoring locked cells, the integrity scan."""
