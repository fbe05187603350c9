"""`--shard auto`: which part of the class this machine grades, read from the scheduler that started it.

A Slurm job array sets `SLURM_ARRAY_TASK_ID` and `SLURM_ARRAY_TASK_COUNT` (and `SLURM_ARRAY_TASK_MIN`,
`SLURM_ARRAY_TASK_STEP`, so `--array=0-7`, `1-8` and `0-14:2` all work); a Kubernetes Indexed Job sets
`JOB_COMPLETION_INDEX` (0, 1, ...) in each pod, and the number of shards is `--shards N` (its `completions`).
"""

import os

from autograder.course import UsageError
from autograder.records.submissions import parse_shard

NEITHER = ("--shard auto: neither SLURM_ARRAY_TASK_ID and SLURM_ARRAY_TASK_COUNT (a Slurm job array) nor "
           "JOB_COMPLETION_INDEX (a Kubernetes Indexed Job) is set; give --shard K/N")


def _integer(env, name):
    try:
        return int(env[name])
    except ValueError:
        raise UsageError(f"--shard auto: {name}={env[name]!r} is not a whole number") from None


def resolve_shard(text, shards=None, env=None):
    """`(K, N)` for `--shard K/N` or `--shard auto` (with `--shards N` on Kubernetes); one-line errors."""
    env = os.environ if env is None else env
    if text != "auto":
        if shards is not None:
            raise UsageError("--shards N goes with --shard auto (with --shard K/N, N is already given)")
        return parse_shard(text)
    if shards is not None and shards < 1:
        raise UsageError(f"--shards must be at least 1, got {shards}")
    if "SLURM_ARRAY_TASK_ID" in env and "SLURM_ARRAY_TASK_COUNT" in env:
        task, count = _integer(env, "SLURM_ARRAY_TASK_ID"), _integer(env, "SLURM_ARRAY_TASK_COUNT")
        first = _integer(env, "SLURM_ARRAY_TASK_MIN") if "SLURM_ARRAY_TASK_MIN" in env else 0
        step = _integer(env, "SLURM_ARRAY_TASK_STEP") if "SLURM_ARRAY_TASK_STEP" in env else 1
        if shards is not None and shards != count:
            raise UsageError(f"--shards {shards} disagrees with the Slurm array's {count} tasks (leave --shards out)")
        index, off = divmod(task - first, max(step, 1))
        if off or not 0 <= index < count:
            raise UsageError(f"--shard auto: SLURM_ARRAY_TASK_ID={task} is not one of the array's {count} tasks "
                             f"(from {first}, step {step})")
        return index + 1, count
    if "JOB_COMPLETION_INDEX" in env:
        index = _integer(env, "JOB_COMPLETION_INDEX")
        if shards is None:
            raise UsageError("--shard auto under a Kubernetes Indexed Job needs --shards N (the Job's completions)")
        if not 0 <= index < shards:
            raise UsageError(f"--shard auto: JOB_COMPLETION_INDEX={index} is outside 0..{shards - 1} (--shards {shards})")
        return index + 1, shards
    raise UsageError(NEITHER)
