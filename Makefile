# One environment (.venv) for everything; it is rebuilt from scratch when requirements.txt changes.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
export PATH := $(abspath $(VENV))/bin:$(PATH)

.PHONY: book test release check solutions bench clean venv

book: $(STAMP)  ## build the HTML book into _build/html (strict: warnings are errors)
	$(VENV)/bin/jupyter-book build . -W -n --keep-going

test: $(STAMP)  ## run every test: library, notebooks (nbval), autograder, wrong answers, the book
	$(PY) -m pytest

release: $(STAMP)  ## regenerate notebooks/ (student versions) from solutions/
	$(PY) -m autograder release

solutions: $(STAMP)  ## re-execute solutions/ in place so their committed outputs are fresh (nbval checks them)
	$(PY) -m autograder execute

# A full run also records itself in bench/results/latest.json, which the book's "How fast is it?" page shows.
bench: $(STAMP)  ## measure side by side: table, _build/bench/results.json and figures (QUICK=1: a fast smoke run)
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
