# The autoencoder course. `make demo` runs the whole pipeline; `make test` runs the checks
# (`make test-slow` the full ones of minutes each).
# Both create the local virtual environment .venv first when it is missing or out of date.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# The kernels' environment (fast profile, quiet and deterministic TensorFlow) is set by the
# tooling itself, from autograder/settings.py: conftest.py for pytest, the grader for its kernels.

.PHONY: venv sandbox demo test test-slow lint release reference notebooks check grade benchmark clean \
	hub hub-stop hub-install hub-deps

# The grader runs each student's kernel in bubblewrap with a seccomp filter (Debian/Ubuntu
# packages `bubblewrap` and `libseccomp2`).
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

venv: $(VENV)/.installed sandbox

sandbox:
	@(command -v bwrap >/dev/null && python3 -c "import ctypes.util, sys; sys.exit(not ctypes.util.find_library('seccomp'))") \
		|| $(SUDO) apt-get install -y -qq bubblewrap libseccomp2 >/dev/null \
		|| ($(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq bubblewrap libseccomp2 >/dev/null) \
		|| echo "Could not install bubblewrap and libseccomp2: install them yourself (see README)."

$(VENV)/.installed: requirements.txt pyproject.toml
	@$(PYTHON) -c "import sys; sys.exit(sys.version_info[:2] != (3, 11))" \
		|| (echo "The course needs Python 3.11 (environment.yml, requirements.txt): $(PYTHON) is $$($(PYTHON) --version 2>&1). Run make with PYTHON=python3.11." >&2; exit 1)
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	$(BIN)/python -m pip install --quiet --no-deps -e .
	# The venv's Python kernel runs with TensorFlow's C++ log off: no "cuda drivers" lines in a
	# student's first cell, whoever starts Jupyter.
	$(BIN)/python -m autograder.kernelspec
	touch $@

demo: venv
	$(BIN)/python -m autograder.demo

# `make test` leaves out the full checks marked slow (minutes each: the graded forgery
# catalogue, the hub in chromium, the exchange, the sandbox under load); `make test-slow` runs
# them, and CI runs both.
test: venv
	$(BIN)/ruff check .
	$(BIN)/python -m pytest -n auto --dist loadscope --no-loadscope-reorder -m "not slow"

test-slow: venv
	$(BIN)/python -m pytest -n auto --dist loadscope --no-loadscope-reorder -m slow

lint: venv
	$(BIN)/ruff check .

release: venv
	$(BIN)/python -m autograder.notebooks release

reference: venv
	$(BIN)/python -m autograder.notebooks reference

notebooks: release reference

check: venv
	$(BIN)/python -m autograder.notebooks clean-check
	$(BIN)/python -m autograder.notebooks check
	$(BIN)/python -m pytest notebooks/  # nbval, with the options in pyproject.toml

# Grade a class: make grade SUBMITTED=path/to/submitted OUT=path/to/grading [GRADE_FLAGS=...]
grade: venv
	$(BIN)/python -m autograder.grading $(SUBMITTED) --out $(OUT) $(GRADE_FLAGS)

# Grading throughput (plain nbgrader vs the sandboxed grader, about 20 minutes), the spread
# of trained numbers under other numerics (about 15 minutes), every catalogued answer judged on
# 12 drawn seeds (about 20 minutes), then the full-profile runs of notebooks 2 to 6 (hours on
# 2 cores: README, "Benchmarks"), the student profile and the students' time it gives.
benchmark: venv
	$(BIN)/python -m benchmarks.grading
	$(BIN)/python -m benchmarks.numerics_spread
	$(BIN)/python -m benchmarks.judge_draws
	$(BIN)/python -m benchmarks.mnist_studies --profile full
	$(BIN)/python -m benchmarks.vae_reproduction --profile full
	$(BIN)/python -m benchmarks.bottleneck_study --profile full
	$(BIN)/python -m benchmarks.vae_search --profile full
	$(BIN)/python -m benchmarks.student_profile
	$(BIN)/python -m benchmarks.student_time

# The course on a JupyterHub on this machine (root: it creates the accounts aec-instructor,
# aec-student1 and aec-student2 and runs each one's server as that account). Prints the address
# and the passwords; Ctrl-C or `make hub-stop` stops it. See docs/instructors.md.
hub: venv hub-deps
	$(SUDO) env AECOURSE_DATA_DIR="$(AECOURSE_DATA_DIR)" $(BIN)/python -m autograder.hub start

hub-stop: venv
	$(SUDO) $(BIN)/python -m autograder.hub stop

# The hub's own Python (on the system's, readable by every account), code copy and proxy.
hub-install: venv hub-deps
	$(SUDO) $(BIN)/python -m autograder.hub install

# Debian's nodejs and npm (for configurable-http-proxy) and the system Python's venv module.
hub-deps:
	@(command -v npm >/dev/null && /usr/bin/python3 -c "import ensurepip, venv") \
		|| $(SUDO) apt-get install -y -qq nodejs npm python3-venv >/dev/null \
		|| ($(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq nodejs npm python3-venv >/dev/null)

clean:
	rm -rf build .pytest_cache
