# Leadline's commands. Every target installs what it needs into .venv (or .venv-tools) first.
SHELL := /bin/bash
RUNTIME_PYTHON := python3.13
VENV := .venv
BIN := $(VENV)/bin
TOOLS_VENV := .venv-tools
TOOLS := $(TOOLS_VENV)/bin
TEMPLATE := template.yaml
BUILD_DIR := .aws-sam/build

# With pyenv, put the Lambda runtime's Python (3.13) on PATH beside the default one, because
# the venv and `sam build` both need it.
ifneq ($(shell command -v pyenv 2>/dev/null),)
PYENV_RUNTIME := $(shell pyenv versions --bare 2>/dev/null | grep -E '^3\.13(\.[0-9]+)?$$' | tail -n1)
PYENV_DEFAULT := $(shell pyenv global 2>/dev/null | head -n1)
export PYENV_VERSION := $(PYENV_RUNTIME):$(PYENV_DEFAULT)
endif

# The SAM CLI and cfn-lint run offline: no telemetry, a fixed region, placeholder credentials
# so that no credential lookup reaches a profile or the instance metadata service.
OFFLINE_AWS := env -u AWS_PROFILE SAM_CLI_TELEMETRY=0 AWS_DEFAULT_REGION=us-east-1 \
	AWS_REGION=us-east-1 AWS_ACCESS_KEY_ID=offline AWS_SECRET_ACCESS_KEY=offline \
	AWS_EC2_METADATA_DISABLED=true AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null
LINT_PATHS := $(wildcard layers functions tests bench tools)

.PHONY: install tools validate build bench demo serve test unit lint clean

$(VENV)/.installed: pyproject.toml
	$(RUNTIME_PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $@

$(TOOLS_VENV)/.installed: tools/requirements.txt
	$(RUNTIME_PYTHON) -m venv $(TOOLS_VENV)
	$(TOOLS)/pip install --quiet --upgrade pip
	$(TOOLS)/pip install --quiet -r tools/requirements.txt
	touch $@

install: $(VENV)/.installed

tools: $(TOOLS_VENV)/.installed

# cfn-lint reads .cfnlintrc, which adds the rules in tools/cfnlint_rules, and so does sam validate.
validate: tools
	$(OFFLINE_AWS) $(TOOLS)/cfn-lint -- $(TEMPLATE)
	$(OFFLINE_AWS) $(TOOLS)/sam validate --lint --template-file $(TEMPLATE) --region us-east-1

# sam build without a container: pip resolves the layer's requirements for arm64 and
# python3.13 must be on PATH. Then every module is compiled for python3.13 as unchecked-hash
# .pyc files, which stay valid when the deployment zip changes the sources' timestamps, and
# the artifact is checked.
build: install tools
	rm -rf $(BUILD_DIR)
	$(OFFLINE_AWS) $(TOOLS)/sam build --template-file $(TEMPLATE) --build-dir $(BUILD_DIR)
	$(BIN)/python -m compileall -q -j 0 --invalidation-mode unchecked-hash $(BUILD_DIR)
	$(BIN)/python tools/check_build.py $(BUILD_DIR)

# Runs every benchmark and writes docs/benchmarks.md, in about seven minutes on 2 cores. It runs
# `make build` for the built sizes, and everything it starts listens and connects on 127.0.0.1.
bench: install
	$(BIN)/python -m bench

demo: install
	$(BIN)/leadline demo --config examples/agency.yaml --out out

serve: install
	$(BIN)/leadline serve --config examples/agency.yaml

lint: install
	$(BIN)/ruff check $(LINT_PATHS)
	$(BIN)/mypy

unit: install
	$(BIN)/pytest tests/unit -q

test: install lint validate
	$(BIN)/pytest -q -n 2

clean:
	rm -rf $(VENV) $(TOOLS_VENV) out .aws-sam .pytest_cache .mypy_cache .ruff_cache
