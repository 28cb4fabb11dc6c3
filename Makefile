# Entry points. Every target runs from the course root inside .venv, which is (re)built from
# requirements.txt whenever that file is newer than the venv.
PYTHON_SYSTEM ?= python3
VENV := .venv
BIN := $(VENV)/bin
# nbgrader shells out to alembic when it creates a gradebook: the venv's bin must be on PATH.
export PATH := $(CURDIR)/$(BIN):$(PATH)

.PHONY: venv isolation hub hub-proxy test test-fast test-grading lint sync release grade demo lab instructor test-browser browser-deps bench

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

# Lint and type-check, then every test on TEST_WORKERS parallel workers (pytest-xdist), a whole
# module per worker, the slowest modules first (tests/conftest.py). TEST_WORKERS=0 runs them in
# this process, one after another.
TEST_WORKERS ?= 3
test: venv isolation browser-deps hub-proxy lint
	$(BIN)/python -m pytest -n $(TEST_WORKERS) --dist loadfile --no-loadscope-reorder

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
	  tests/test_grading_hostile.py tests/test_grading_isolation.py tests/test_grading_cluster.py tests/test_grading_postgres.py \
	  tests/test_grading_resume.py

# Instructor pipeline (python -m course_tools --help lists every command).
# Lint the source, regenerate release/ and say whether it changed.
release: venv
	$(BIN)/python -m course_tools release

# Autograde submitted/ into autograded/, write feedback/ and grades.csv (JOBS=N to choose). A rerun
# keeps what an earlier run graded and has not changed since; FORCE=1 grades everything again.
grade: venv isolation
	$(BIN)/python -m course_tools grade $(if $(JOBS),--jobs $(JOBS)) $(if $(FORCE),--force)

# The whole workflow through nbgrader's exchange on sample students, in build/demo/ (scratch).
demo: venv isolation
	$(BIN)/python -m course_tools demo

# JupyterLab as a student (server root build/student, no instructor tools) or as the instructor
# (server root = course root, Formgrader). LAB_ARGS go to jupyter lab, e.g.
# LAB_ARGS="--no-browser --port 8899"; Ctrl-C shuts Jupyter down cleanly.
lab: venv
	$(BIN)/python -m course_tools lab $(LAB_ARGS)

instructor: venv
	$(BIN)/python -m course_tools instructor $(LAB_ARGS)

# The course's JupyterHub on this machine, as root (docs/hub.md): course accounts, a users'
# environment in /opt/tinytorch-hub, the course and exchange under /srv. HUB_ARGS go to
# `python -m course_tools hub` (e.g. HUB_ARGS="--port 8001"); Ctrl-C stops the hub and every server.
hub: venv isolation hub-proxy
	$(BIN)/python -m course_tools hub $(HUB_ARGS)

# JupyterHub's proxy, configurable-http-proxy from npm (docs/hub.md says why), into build/hub-proxy.
CHP_VERSION := 5.3.0
hub-proxy:
	@test -x build/hub-proxy/node_modules/.bin/configurable-http-proxy || { command -v npm > /dev/null \
	  && npm install --silent --no-audit --no-fund --prefix build/hub-proxy configurable-http-proxy@$(CHP_VERSION); } \
	  || { echo "configurable-http-proxy is missing and npm is not available: install Node.js and npm (Debian: apt-get install -y nodejs npm)"; exit 1; }

# The browser tests alone (also part of `make test`): Playwright drives the OS's Chromium.
test-browser: venv browser-deps
	$(BIN)/python -m pytest tests/test_browser_*.py

# The browser tests need Chromium from the OS packages (Playwright's own download is not used).
CHROMIUM ?= /usr/bin/chromium
browser-deps:
	@test -x $(CHROMIUM) || { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null \
		&& apt-get update -qq && apt-get install -y -qq chromium >/dev/null; } \
		|| { echo "Chromium is missing at $(CHROMIUM): install it (Debian/Ubuntu: sudo apt-get install -y chromium) or set CHROMIUM=/path/to/chromium"; exit 1; }
	@$(BIN)/python -c "import playwright" 2>/dev/null || { echo "Playwright for Python is missing from $(VENV): run make venv (requirements.txt lists playwright)"; exit 1; }

# Regenerate the source notebook from its reviewable jupytext twin (source/*/*.py). First every
# other statement of a step's points (headings, course_tools/facts.py, docs/contract.md) is
# written from the grade cells' metadata, so the notebook is generated with its headings right.
sync: venv
	$(BIN)/python -m course_tools.points
	$(BIN)/python -m course_tools.notebook_source

# Measured performance of the harness, the models and the grader; writes benchmarks/results.md.
bench: venv
	$(BIN)/python -m benchmarks.run
