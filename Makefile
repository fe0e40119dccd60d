# Leadline's commands. Every target installs what it needs into .venv first.
SHELL := /bin/bash
RUNTIME_PYTHON := python3.13
VENV := .venv
BIN := $(VENV)/bin

# With pyenv, put the Lambda runtime's Python (3.13) on PATH beside the default one, because
# the venv and `sam build` both need it.
ifneq ($(shell command -v pyenv 2>/dev/null),)
PYENV_RUNTIME := $(shell pyenv versions --bare 2>/dev/null | grep -E '^3\.13(\.[0-9]+)?$$' | tail -n1)
PYENV_DEFAULT := $(shell pyenv global 2>/dev/null | head -n1)
export PYENV_VERSION := $(PYENV_RUNTIME):$(PYENV_DEFAULT)
endif

.PHONY: install demo serve test unit lint clean

$(VENV)/.installed: pyproject.toml
	$(RUNTIME_PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $@

install: $(VENV)/.installed

demo: install
	$(BIN)/leadline demo --config examples/agency.yaml --out out

serve: install
	$(BIN)/leadline serve --config examples/agency.yaml

lint: install
	# wildcard drops folders that do not exist yet, which ruff reports as errors.
	$(BIN)/ruff check $(wildcard layers functions tests bench)
	$(BIN)/mypy

unit: install
	$(BIN)/pytest tests/unit -q

test: install lint
	$(BIN)/pytest -q -n 2

clean:
	rm -rf $(VENV) out .aws-sam .pytest_cache .mypy_cache .ruff_cache
