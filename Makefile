# Two commands do all the set-up: `make serve` and `make test`.
# Both create or update the project's virtual environment (.venv) from the
# exactly pinned requirements.txt first.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
export NO_MKDOCS_2_WARNING := 1

.PHONY: serve build test unit clean

$(STAMP): requirements.txt
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
	@touch $(STAMP)

## serve: live-reloading preview on http://127.0.0.1:8000/ (French) and /en/ (English)
serve: $(STAMP)
	$(BIN)/mkdocs serve --dev-addr 127.0.0.1:8000 --livereload

## build: strict build into site/
build: $(STAMP)
	$(BIN)/mkdocs build --strict --clean

## test: every test (unit, whole build)
test: $(STAMP)
	$(BIN)/python -m pytest

clean:
	rm -rf site .pytest_cache
