# Two commands do all set-up: `make demo` and `make test`. Both create and
# reuse a local virtual environment in .venv; nothing else needs installing.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
INSPECTOR_VERSION := 2.12.0
INSPECTOR := .tools/inspector/node_modules/.bin/mcp-inspector

.PHONY: all venv demo test test-fast lint typecheck dockerlint pytest inspector sandbox snapshots clean

all: test

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	@touch $(STAMP)

venv: $(STAMP)

# The MCP Inspector CLI, pinned and project-local, for the interoperability tests.
$(INSPECTOR):
	@mkdir -p .tools/inspector
	cd .tools/inspector && npm install --silent --no-audit --no-fund --no-save \
		@modelcontextprotocol/inspector@$(INSPECTOR_VERSION) >/dev/null 2>&1 \
		|| (cd .tools/inspector && npm install --no-audit --no-fund --no-save \
		@modelcontextprotocol/inspector@$(INSPECTOR_VERSION))

inspector: $(INSPECTOR)

demo: $(STAMP)
	$(BIN)/pictory-mcp demo

sandbox: $(STAMP)
	$(BIN)/pictory-mcp sandbox

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(STAMP)
	$(BIN)/mypy

dockerlint: $(STAMP)
	$(BIN)/hadolint Dockerfile

pytest: $(STAMP) $(INSPECTOR)
	PICTORY_MCP_INSPECTOR=$(abspath $(INSPECTOR)) $(BIN)/python -m pytest $(PYTEST_ARGS)

test: lint typecheck dockerlint pytest

# The inner loop: every test that runs in this process (no server subprocesses, no Inspector).
test-fast: $(STAMP)
	$(BIN)/python -m pytest -q -m "not slow" $(PYTEST_ARGS)

snapshots: $(STAMP)
	PICTORY_MCP_UPDATE_SNAPSHOTS=1 $(BIN)/python -m pytest -q \
		tests/server/test_toolcache.py tests/interaction/test_snapshot.py

clean:
	rm -rf $(VENV) .tools .mypy_cache .pytest_cache .ruff_cache
