# Two entry points on a fresh machine: `make run` (serve on the embedded store) and `make test` (the whole suite).
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
SEEDS ?= ../shared/seeds
HOST ?= 127.0.0.1
PORT ?= 5000

# apt-get as root, through sudo otherwise.
APT := $(shell [ "$$(id -u)" = 0 ] && echo apt-get || echo sudo apt-get)

.PHONY: setup base-deps system-deps assets build run test check bench bench-deps clean messages

# What a fresh Debian machine lacks to set up and run: venv support for Python, Node.js and npm for the assets.
base-deps:
	@$(PYTHON) -c "import ensurepip" 2>/dev/null || { $(APT) update -qq && $(APT) install -y -qq python3-venv; }
	@command -v npm >/dev/null 2>&1 || { $(APT) update -qq && $(APT) install -y -qq nodejs npm; }

$(BIN)/r2pkg: pyproject.toml | base-deps
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

setup: $(BIN)/r2pkg assets

# Debian packages the project needs: Java for the OWL reasoner, Chromium for the browser tests.
system-deps: base-deps
	@command -v java >/dev/null 2>&1 || { $(APT) update -qq && $(APT) install -y -qq default-jre-headless; }
	@command -v chromium >/dev/null 2>&1 || { $(APT) update -qq && $(APT) install -y -qq chromium; }

# Browser components come from the npm registry and ship inside the package (static/vendor).
assets: base-deps
	cd frontend && npm ci --no-audit --no-fund --loglevel=error && npm run --silent build

build: setup
	$(BIN)/r2pkg build

run: build
	$(BIN)/r2pkg serve --host $(HOST) --port $(PORT)

check: setup
	$(BIN)/r2pkg verify-sources $(SEEDS)
	$(BIN)/r2pkg validate

test: system-deps setup check
	$(BIN)/pytest -q

# The benchmark (bench/README.md): wrk from Debian for the load tests, the bench extra for rdflib-endpoint.
bench-deps: setup
	@command -v wrk >/dev/null 2>&1 || { $(APT) update -qq && $(APT) install -y -qq wrk; }
	$(BIN)/pip install --quiet -e '.[test,bench]'

bench: bench-deps
	@[ -e build/current/dataset.nq ] || $(BIN)/r2pkg build
	$(BIN)/python -m bench $(BENCH_ARGS)

# After changing the interface's words: collect them (babel.cfg) and add the new ones to every catalogue of
# src/r2pkg/web/translations/, then translate the empty msgstr entries (tests/web/test_language.py finds them).
# The catalogues are read from the .po files at run time; nothing is compiled.
messages: setup
	@mkdir -p build
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext --no-location --sort-output -o build/messages.pot .
	$(BIN)/pybabel update -i build/messages.pot -d src/r2pkg/web/translations --no-fuzzy-matching --ignore-obsolete --width 120

clean:
	rm -rf build .pytest_cache
