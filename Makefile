# `make run` and `make test` are the only commands a fresh clone needs: each creates .venv and
# installs what it needs from the lock files (run: the bot; test: the bot plus the test tools).
# `make lock` upgrades the lock files (then review the diff, run `make test`, commit both).
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP_INSTALL := $(PY) -m pip install -q --disable-pip-version-check
LOCK_VENV := .venv-lock
# Hashes as the package index publishes them (every file of each pinned version, for every platform):
# this machine's local wheel folders and index mirrors are left out of the lock files on purpose.
LOCK_COMPILE := env -u PIP_FIND_LINKS -u PIP_EXTRA_INDEX_URL -u PIP_INDEX_URL -u PIP_CONSTRAINT PIP_CONFIG_FILE=/dev/null \
	$(LOCK_VENV)/bin/pip-compile -q --upgrade --generate-hashes --allow-unsafe --strip-extras \
	--no-emit-find-links --no-emit-index-url

.PHONY: run test lint bench lock clean

$(VENV)/.base: pyproject.toml requirements.lock
	@echo "Installing the bot into $(VENV) from requirements.lock (the first install takes about a minute; later starts skip it) ..."
	$(PYTHON) -m venv $(VENV)
	$(PIP_INSTALL) --require-hashes -r requirements.lock
	$(PIP_INSTALL) --no-deps -e .
	touch $@

$(VENV)/.test: $(VENV)/.base requirements-test.lock
	$(PIP_INSTALL) --require-hashes -r requirements-test.lock
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

lock:
	$(PYTHON) -m venv $(LOCK_VENV)
	$(LOCK_VENV)/bin/python -m pip install -q --disable-pip-version-check --upgrade pip-tools
	$(LOCK_COMPILE) --output-file=requirements.lock pyproject.toml
	$(LOCK_COMPILE) --extra=test --output-file=requirements-test.lock pyproject.toml
	@echo "requirements.lock and requirements-test.lock upgraded: review the diff, run make test, commit both"

clean:
	rm -rf $(VENV) $(LOCK_VENV)
