# Two commands do all set-up: `make demo` and `make test`. Both create and
# reuse a local virtual environment in .venv; nothing else needs installing.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
INSPECTOR_VERSION := 2.12.0
INSPECTOR := .tools/inspector/node_modules/.bin/mcp-inspector
# The headless view tests' Node packages (MCP Apps' AppBridge, the TypeScript MCP client,
# jsdom), pinned with their whole tree by tests/views/package-lock.json.
VIEWS := .tools/views/node_modules/.package-lock.json
# `make screenshots` needs a headless Chromium (Debian: apt-get install chromium).
CHROMIUM ?= $(shell command -v chromium || command -v chromium-browser)

.PHONY: all venv demo test test-fast lint typecheck dockerlint pytest inspector views sandbox snapshots screenshots clean

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

$(VIEWS): tests/views/package.json tests/views/package-lock.json
	@mkdir -p .tools/views
	cp tests/views/package.json tests/views/package-lock.json .tools/views/
	cd .tools/views && (npm ci --silent --no-audit --no-fund >/dev/null 2>&1 \
		|| npm ci --no-audit --no-fund)

views: $(VIEWS)

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

pytest: $(STAMP) $(INSPECTOR) $(VIEWS)
	PICTORY_MCP_INSPECTOR=$(abspath $(INSPECTOR)) \
	PICTORY_MCP_VIEW_MODULES=$(abspath .tools/views/node_modules) \
		$(BIN)/python -m pytest $(PYTEST_ARGS)

test: lint typecheck dockerlint pytest

# The inner loop: every test that runs in this process (no server subprocesses, no Inspector).
test-fast: $(STAMP)
	$(BIN)/python -m pytest -q -m "not slow" $(PYTEST_ARGS)

snapshots: $(STAMP)
	PICTORY_MCP_UPDATE_SNAPSHOTS=1 $(BIN)/python -m pytest -q \
		tests/server/test_toolcache.py tests/interaction/test_snapshot.py

# PNGs of each view rendering a sandbox job, for the README (not part of `make test`).
screenshots: $(STAMP)
	@test -n "$(CHROMIUM)" || (echo "make screenshots needs Chromium: apt-get install chromium" >&2; exit 1)
	$(BIN)/python scripts/screenshots.py --chromium "$(CHROMIUM)" --out docs/screenshots

clean:
	rm -rf $(VENV) .tools .mypy_cache .pytest_cache .ruff_cache
