# `make run` and `make test` are the only commands a fresh clone needs: each creates .venv and
# installs what it needs (run: the bot; test: the bot plus the test tools).
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python

.PHONY: run test lint bench clean

$(VENV)/.base: pyproject.toml
	@echo "Installing the bot into $(VENV) (the first install takes about a minute; later starts skip it) ..."
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --disable-pip-version-check -e .
	touch $@

$(VENV)/.test: $(VENV)/.base
	$(PY) -m pip install -q --disable-pip-version-check -e '.[test]'
	touch $@

run: $(VENV)/.base
	$(PY) -m bot run

test: $(VENV)/.test
	$(PY) -m pytest

lint: $(VENV)/.test
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy

bench: $(VENV)/.test
	$(PY) -m bench

clean:
	rm -rf $(VENV)
