# Two commands for a new user: `make run` starts the app, `make test` runs every test.
# Both create .venv and install what is needed on first use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PORT ?= 8501

.PHONY: run test lint e2e bench clean

$(STAMP): requirements.txt requirements-dev.txt
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	@touch $(STAMP)

run: $(STAMP)
	$(BIN)/streamlit run app.py --server.port $(PORT)

lint: $(STAMP)
	$(BIN)/ruff check .

test: $(STAMP) lint
	$(BIN)/python -m pytest

e2e: $(STAMP)
	$(BIN)/python -m pytest -m e2e

bench: $(STAMP)
	$(BIN)/python bench/engine.py
	@test ! -f bench/app.py || $(BIN)/python bench/app.py
	@test ! -f bench/pdf.py || $(BIN)/python bench/pdf.py

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache test-artifacts
