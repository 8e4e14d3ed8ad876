# Two commands do all the set-up: `make serve` and `make test`.
# Both create or update the project's virtual environment (.venv) from the
# exactly pinned requirements.txt first.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
export NO_MKDOCS_2_WARNING := 1
# The build engine (hooks/kb/engine.py): mkdocs, or properdocs, its maintained fork.
ENGINE ?= mkdocs
export KB_ENGINE := $(ENGINE)

.PHONY: serve build check test clean translations translations-done translations-record bench bench-scale

# A .venv without pip (an interrupted `python -m venv`) is made anew by the next command.
ifeq ($(wildcard $(BIN)/pip),)
$(shell rm -f $(STAMP))
endif
$(STAMP): requirements.txt
	@$(BIN)/python -m pip --version >/dev/null 2>&1 || { rm -rf $(VENV) && $(PYTHON) -m venv $(VENV); }
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
	@touch $(STAMP)

## serve: live-reloading preview on http://127.0.0.1:8000/ (French) and /en/ (English);
## the open page first, then the whole site (hooks/kb_serve.py)
serve: $(STAMP)
	$(BIN)/python hooks/kb_serve.py --dev-addr 127.0.0.1:8000

## build: strict build into site/, one process per language (hooks/kb/parallel.py)
build: $(STAMP)
	cd hooks && ../$(BIN)/python -m kb.parallel ../site

## check: every check of data, pages and translations at once, without building the site (seconds)
check: $(STAMP)
	cd hooks && ../$(BIN)/python -m kb.check

# The browser tests drive Debian's old headless shell of Chromium
# (chromium-headless-shell): the same version and engine as Debian's chromium,
# without the desktop browser around it, as Playwright runs Chromium headless
# by default; it takes a fifth to a third less CPU than `chromium --headless`.
# Installed if missing (as root, or with sudo). Another Chromium or Chrome:
# make test CHROMIUM=/path/to/it
CHROMIUM ?= /usr/bin/chromium-headless-shell
CHROMIUM_PACKAGE ?= chromium-headless-shell
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
# $(call install,package,what for): a Debian package, as root or with sudo
define install
	@echo "Installing Debian's $(1) for $(2)"
	$(SUDO) apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $(1)
endef
$(CHROMIUM):
	$(call install,$(CHROMIUM_PACKAGE),the browser tests)

# The benchmark measures what readers' browsers do (Lighthouse among it): the whole browser
BENCH_CHROMIUM ?= /usr/bin/chromium
$(BENCH_CHROMIUM):
	$(call install,chromium,the benchmark)

## test: every test (unit, whole build, browser), in one process per core (pytest-xdist; tests/conftest.py)
TEST_PROCESSES ?= auto
test: $(STAMP) $(CHROMIUM)
	KB_CHROMIUM=$(CHROMIUM) $(BIN)/python -m pytest -n $(TEST_PROCESSES) --maxprocesses 4 --dist loadgroup

clean:
	rm -rf site .pytest_cache

## translations: status of every page and data field (STRICT=1 fails if anything is pending)
translations: $(STAMP)
	cd hooks && ../$(BIN)/python -m kb.translations report $(if $(STRICT),--strict)

## translations-done: record that a translation is up to date, e.g. make translations-done PAGE=content/en/about.md
## (pages) or DATA=data/glossary.yml (every English text of a data file)
translations-done: $(STAMP)
	@test -n "$(PAGE)$(DATA)" || { echo "usage: make translations-done PAGE=content/en/path/to/page.md or DATA=data/file.yml"; exit 2; }
	cd hooks && ../$(BIN)/python -m kb.translations done $(addprefix ../,$(PAGE) $(DATA))

## translations-record: record what translators said is up to date in a pull request
## (`translation_of: done` in a page, a data file listed in translations/done.yml); run on main
## after each merge by .github/workflows/translations.yml
translations-record: $(STAMP)
	cd hooks && ../$(BIN)/python -m kb.translations record

## bench: benchmark (build time, hooks' share, rebuild, page weight, memory) into bench/out/
RUNS ?= 3
bench: $(STAMP) $(BENCH_CHROMIUM) bench/node_modules/.installed
	KB_CHROMIUM=$(BENCH_CHROMIUM) $(BIN)/python bench/bench.py --runs $(RUNS)

# Lighthouse, pinned in bench/package-lock.json (needs Node.js and npm)
bench/node_modules/.installed: bench/package-lock.json
	cd bench && npm install --no-audit --no-fund --loglevel=error
	@touch $@

## bench-scale: the same pipeline on synthetic content, e.g. make bench-scale SCALE="1 10 100"
SCALE ?= 1 10
bench-scale: $(STAMP) $(BENCH_CHROMIUM)
	KB_CHROMIUM=$(BENCH_CHROMIUM) $(BIN)/python bench/scale.py $(SCALE)
