# Two commands for a new user: `make run` starts the app, `make test` runs every test.
# Both create .venv and install what is needed on first use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PORT ?= 8501

.PHONY: run serve test lint e2e bench bench-load clean

$(STAMP): requirements.txt requirements-dev.txt
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	@touch $(STAMP)

# One app process on 127.0.0.1:$(PORT), with the serving tweaks (serving/tweaks.py).
run: $(STAMP)
	$(BIN)/python -m serving app.py --server.port $(PORT)

# Several app processes (SERVE_PROCS, default 2) behind nginx on 127.0.0.1:$(PORT), sticky
# sessions, a dead process restarted (serving/cluster.py; needs Debian's nginx).
serve: $(STAMP)
	PORT=$(PORT) $(BIN)/python -m serving.cluster

lint: $(STAMP)
	$(BIN)/ruff check .

test: $(STAMP) lint
	$(BIN)/python -m pytest

e2e: $(STAMP)
	$(BIN)/python -m pytest -m e2e

bench: $(STAMP)
	$(BIN)/python bench/engine.py
	$(BIN)/python bench/app.py
	$(BIN)/python bench/pdf.py
	$(BIN)/python bench/load.py -n 10

# The briefing-room targets (issue 10): 50 sessions with and without think time, beside the
# bare page. Against `make serve` instead: bench/load.py --url http://127.0.0.1:8501 --pids-file .run/serve/app.pids
bench-load: $(STAMP)
	$(BIN)/python bench/load.py -n 50 --think 2
	$(BIN)/python bench/load.py -n 50

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache test-artifacts .run
