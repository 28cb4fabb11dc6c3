# Entry points. Every target runs from the course root inside .venv, which is (re)built from
# requirements.txt whenever that file is newer than the venv.
PYTHON_SYSTEM ?= python3
VENV := .venv
BIN := $(VENV)/bin
# nbgrader shells out to alembic when it creates a gradebook: the venv's bin must be on PATH.
export PATH := $(CURDIR)/$(BIN):$(PATH)

.PHONY: venv test

venv: $(VENV)/.installed

$(VENV)/.installed: requirements.txt pyproject.toml
	test -x $(BIN)/python || $(PYTHON_SYSTEM) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip > $(VENV)/pip.log 2>&1 || (cat $(VENV)/pip.log; exit 1)
	$(BIN)/python -m pip install --quiet -r requirements.txt >> $(VENV)/pip.log 2>&1 || (cat $(VENV)/pip.log; exit 1)
	touch $@

test: venv
	$(BIN)/python -m pytest
