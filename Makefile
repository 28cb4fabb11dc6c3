# Entry points. Every target runs from the course root inside .venv, which is (re)built from
# requirements.txt whenever that file is newer than the venv.
PYTHON_SYSTEM ?= python3
VENV := .venv
BIN := $(VENV)/bin
# nbgrader shells out to alembic when it creates a gradebook: the venv's bin must be on PATH.
export PATH := $(CURDIR)/$(BIN):$(PATH)

.PHONY: venv isolation test test-fast test-grading lint sync release grade demo lab bench

venv: $(VENV)/.installed

$(VENV)/.installed: requirements.txt pyproject.toml
	test -x $(BIN)/python || $(PYTHON_SYSTEM) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip > $(VENV)/pip.log 2>&1 || (cat $(VENV)/pip.log; exit 1)
	$(BIN)/python -m pip install --quiet -r requirements.txt >> $(VENV)/pip.log 2>&1 || (cat $(VENV)/pip.log; exit 1)
	touch $@

# Student kernels run in bubblewrap (course_tools/grading/README.md): installed here when root.
isolation:
	@command -v bwrap > /dev/null || { [ "$$(id -u)" = 0 ] && apt-get update -qq && apt-get install -y -qq bubblewrap; } \
	  || { echo "bubblewrap is missing: as root run 'apt-get install -y bubblewrap'"; exit 1; }

# Lint and type-check, then every test.
test: venv isolation lint
	$(BIN)/python -m pytest

# The edit loop (under a minute): every test but whole-notebook, release and grading runs (marked slow in tests/conftest.py).
test-fast: venv
	$(BIN)/python -m pytest -m "not slow"

# ruff (lint rules and formatting) and mypy, configured in pyproject.toml.
LINTED := tinytorch course_tools benchmarks
lint: venv
	$(BIN)/ruff check $(LINTED)
	$(BIN)/ruff format --check $(LINTED)
	$(BIN)/mypy $(LINTED)

# The grading tests alone; .ci/run also runs them as a temporary ordinary user.
test-grading: venv isolation
	$(BIN)/python -m pytest -p no:cacheprovider tests/test_grading_units.py tests/test_grading_guard.py tests/test_grading_capstone.py \
	  tests/test_grading_hostile.py tests/test_grading_isolation.py tests/test_grading_cluster.py tests/test_grading_postgres.py

# Instructor pipeline (python -m course_tools --help lists every command).
# Lint the source, regenerate release/ and say whether it changed.
release: venv
	$(BIN)/python -m course_tools release

# Autograde submitted/ into autograded/, write feedback/ and grades.csv (JOBS=N to choose).
grade: venv isolation
	$(BIN)/python -m course_tools grade $(if $(JOBS),--jobs $(JOBS))

# The whole pipeline on sample submissions: table of points, feedback HTML, grades.csv.
demo: venv isolation
	$(BIN)/python -m course_tools demo

# The student notebook in JupyterLab.
lab: venv
	$(BIN)/python -m course_tools lab

# Regenerate the source notebook from its reviewable jupytext twin (source/*/*.py).
sync: venv
	$(BIN)/python -m course_tools.notebook_source

# Measured performance of the harness, the models and the grader; writes benchmarks/results.md.
bench: venv
	$(BIN)/python -m benchmarks.run
