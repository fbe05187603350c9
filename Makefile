# One environment (.venv) for everything; it is rebuilt from scratch when requirements.txt changes.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
export PATH := $(abspath $(VENV))/bin:$(PATH)

# A student's environment: the library with its [student] extra (PyTorch, JupyterLab), at the tested versions.
STUDENT_VENV := .venv-student
STUDENT_STAMP := $(STUDENT_VENV)/.installed
# Debian packages a target needs, each PACKAGE=PROBE (a command, or a path), installed when missing (as root).
TEST_PACKAGES := chromium=/usr/bin/chromium bubblewrap=bwrap 'postgresql=/usr/lib/postgresql/*/bin/initdb'
BENCH_PACKAGES := bubblewrap=bwrap

.PHONY: book test release check solutions bench clean venv lab student-venv dist test-packages bench-packages

# The book needs no Debian package: it is built by Python alone.
book: $(STAMP)  ## build the HTML book into _build/html (strict: warnings are errors)
	$(VENV)/bin/jupyter-book build . -W -n --keep-going

test: test-packages $(STAMP)  ## run every test: library, notebooks (nbval), autograder, wrong answers, the book
	$(PY) -m pytest

test-packages:  # the browser tests: chromium; the grading sandbox: bubblewrap; the gradebook tests: postgresql
	@tools/need-debian-packages "make test" $(TEST_PACKAGES)

bench-packages:  # the grading benchmark runs student kernels in the sandbox
	@tools/need-debian-packages "make bench" $(BENCH_PACKAGES)

# PyTorch for exercise 8: TORCH=cpu (Linux's default: the CPU build, torch==2.13.0+cpu, from PyTorch's CPU index
# or a wheelhouse pip is configured with; PyPI has none), pypi (PyPI's build: on Linux a CUDA build, 2.7 GB of
# downloads), none (no PyTorch: exercises 1-7 need none).
TORCH ?= $(if $(filter Linux,$(shell uname -s)),cpu,pypi)
TORCH_VERSION := $(shell sed -n 's/^torch==//p' requirements.txt)
TORCH_CPU_INDEX := https://download.pytorch.org/whl/cpu

lab:  ## for students: .venv-student (its plan printed first), the exercises copied into work/, JupyterLab there (LAB_OPTIONS: more options)
	@python3 -m autograder.start plan $(TORCH)
	@$(MAKE) --no-print-directory student-venv TORCH=$(TORCH)
	@$(STUDENT_VENV)/bin/course-start all --dir work --keep
	PATH="$(abspath $(STUDENT_VENV))/bin:$$PATH" $(STUDENT_VENV)/bin/jupyter lab --notebook-dir=work \
	  $(if $(filter 0,$(shell id -u)),--allow-root) $(LAB_OPTIONS)

student-venv: $(STUDENT_STAMP)

$(STUDENT_STAMP): requirements.txt pyproject.toml
	rm -rf $(STUDENT_VENV)
	python3 -m venv $(STUDENT_VENV)
ifeq ($(TORCH),cpu)
	$(STUDENT_VENV)/bin/python -m pip install --quiet --retries 1 --timeout 30 --extra-index-url $(TORCH_CPU_INDEX) \
	  -c requirements.txt "torch==$(TORCH_VERSION)+cpu" \
	  || { python3 -m autograder.start no-cpu-torch; rm -rf $(STUDENT_VENV); exit 1; }
endif
	$(STUDENT_VENV)/bin/python -m pip install --quiet -c requirements.txt \
	  -e ".$(if $(filter none,$(TORCH)),[lab],[student])"
	touch $(STUDENT_STAMP)

dist: $(STAMP)  ## the student package: dist/trainfaster_course-VERSION-py3-none-any.whl (what students pip install)
	$(PY) -m autograder.package --out dist

release: $(STAMP)  ## regenerate notebooks/ (student versions) from solutions/
	$(PY) -m autograder release

solutions: $(STAMP)  ## re-execute solutions/ in place so their committed outputs are fresh (nbval checks them)
	$(PY) -m autograder execute

# A full run also records itself in bench/results/latest.json, which the book's "How fast is it?" page shows.
bench: bench-packages $(STAMP)  ## measure side by side: table, _build/bench/results.json and figures (QUICK=1: a fast smoke run)
	$(PY) -m bench $(if $(QUICK),--quick,--record bench/results/latest.json)

check: $(STAMP)  ## solutions score full marks, untouched notebooks score 0, notebooks/ is up to date
	$(PY) -m autograder check

venv: $(STAMP)

$(STAMP): requirements.txt pyproject.toml
	rm -rf $(VENV)
	python3 -m venv $(VENV)
	$(PY) -m pip install --quiet -r requirements.txt
	$(PY) -m pip install --quiet --no-deps --no-build-isolation -e .
	touch $(STAMP)

clean:  ## remove build output (the book, caches); keeps .venv
	rm -rf _build .pytest_cache
	find . -name __pycache__ -not -path './.venv/*' -prune -exec rm -rf {} +
