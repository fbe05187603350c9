"""A memory limit per student, not per process: a cgroup v2 of its own for each kernel, where the machine allows.

Allowed when the grader runs as root, `/sys/fs/cgroup` (or wherever cgroup2 is mounted) is cgroup v2, and
the memory controller is enabled for the children of the grader's own cgroup (`cgroup.subtree_control`).
Each kernel then gets a child cgroup: `memory.max` is `--memory` for all the student's processes together,
`memory.swap.max` 0, `memory.oom.group` 1 (the out-of-memory killer stops them all). Elsewhere the kernel
keeps the per-process limit alone (`RLIMIT_DATA`), and `kind` says why.
"""

import os
import time
from functools import lru_cache
from pathlib import Path

PER_STUDENT = "for all the student's processes together (a cgroup v2)"


def _cgroup2_mount(mountinfo="/proc/self/mountinfo"):
    for line in Path(mountinfo).read_text().splitlines():
        fields = line.split(" - ", 1)
        if len(fields) == 2 and fields[1].split()[0] == "cgroup2":
            return Path(fields[0].split()[4])
    return None


def _own_group(mount, proc_cgroup="/proc/self/cgroup"):
    for line in Path(proc_cgroup).read_text().splitlines():
        if line.startswith("0::"):
            return mount / line[3:].strip().lstrip("/")
    return None


@lru_cache(maxsize=None)
def parent():
    """`(folder under which kernels get their cgroups, None)`, or `(None, why not)`."""
    if os.geteuid() != 0:
        return None, "the grader is not root"
    try:
        mount = _cgroup2_mount()
        group = mount and _own_group(mount)
        if group is None:
            return None, "this machine has no cgroup v2"
        if "memory" not in (group / "cgroup.subtree_control").read_text().split():
            return None, "the cgroup v2 memory controller is not enabled for the grader's cgroup"
        if not os.access(group, os.W_OK):
            return None, "the grader's cgroup is not writable"
    except OSError as error:
        return None, f"cannot read the cgroups ({error.strerror})"
    return group, None


def kind(memory):
    """The memory limit in force, in words, for the notes: per student where possible, else per process."""
    group, why_not = parent()
    amount = f"{memory / 2**30:g} GiB"
    return f"{amount} {PER_STUDENT}" if group else f"{amount} per process ({why_not})"


class MemoryGroup:
    """One kernel's cgroup: made by `create`, joined by the kernel's first process, removed by `remove`."""

    def __init__(self, memory):
        self.memory, self.path = memory, None

    def create(self):
        group, _ = parent()
        if group is None:
            return None
        path = group / f"autograder-{os.getpid()}-{id(self):x}"
        try:
            path.mkdir()
            (path / "memory.max").write_text(str(self.memory))
            for name, value in (("memory.swap.max", "0"), ("memory.oom.group", "1")):
                if (path / name).exists():
                    (path / name).write_text(value)
        except OSError:
            self.path = path
            self.remove()
            return None
        self.path = path
        return path

    def join(self):
        """Move the calling process in (a `preexec_fn`: the kernel and all it starts are then inside)."""
        if self.path is not None:
            (self.path / "cgroup.procs").write_text(str(os.getpid()))

    def out_of_memory(self):
        """Whether the out-of-memory killer stopped something in the group."""
        try:
            events = dict(line.split() for line in (self.path / "memory.events").read_text().splitlines())
            return int(events.get("oom_kill", 0)) > 0
        except (OSError, TypeError, ValueError):
            return False

    def remove(self):
        """Kill what is left in the group and remove it (its processes take a moment to go)."""
        if self.path is None:
            return
        try:
            (self.path / "cgroup.kill").write_text("1")
        except OSError:
            pass
        for _ in range(100):
            try:
                self.path.rmdir()
                break
            except FileNotFoundError:
                break
            except OSError:
                time.sleep(0.01)
        self.path = None
