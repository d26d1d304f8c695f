# The two commands a newcomer needs: `make run` and `make test`.
# Everything else (venv, pinned install, database migration, shipped models) happens on the way.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1
export TOKENIZERS_PARALLELISM := false

.PHONY: run test lint types unit bench models postgres broker clean rasa help

help:
	@echo "make run   - set up and start the bot (Telegram if TELEGRAM_TOKEN is set, else terminal chat)"
	@echo "make test  - set up, then lint, type-check and run the whole test suite (SQLite + PostgreSQL)"
	@echo "make bench - run the benchmarks (prints ratios measured side by side)"
	@echo "make rasa  - optional: a Rasa 3.6 NLU server (Python 3.10 venv) on 127.0.0.1:5005"

$(STAMP): pyproject.toml requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	touch $(STAMP)

install: $(STAMP)

models: $(STAMP)
	$(BIN)/coachloop models prepare

run: $(STAMP)
	$(BIN)/coachloop db upgrade
	$(BIN)/coachloop models prepare
	exec $(BIN)/coachloop start  # the bot if TELEGRAM_TOKEN is set (env or .env), else the terminal chat

postgres:
	@bash .ci/ensure-postgres

broker:
	@bash .ci/ensure-broker

lint: $(STAMP)
	$(BIN)/ruff check bot nlu planner models storage tests benchmarks
	$(BIN)/lint-imports  # the layers of docs/architecture.md, as contracts in pyproject.toml

types: $(STAMP)
	$(BIN)/mypy

unit: $(STAMP) postgres broker
	$(BIN)/python -m pytest -q -ra

test: lint types unit

bench: $(STAMP)
	$(BIN)/python -m benchmarks

rasa:
	bash rasa/setup.sh

clean:
	rm -rf $(VENV) .mypy_cache .pytest_cache .ruff_cache
