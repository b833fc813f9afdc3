# Two commands for authors, each doing its own set-up (see README.md):
#   make book   build the website into _build/html
#   make test   build the book (cached) and run every test, browser tests included
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: book test bench sync

$(VENV)/.installed: requirements.txt pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -r requirements.txt -e .
	touch $@

book: $(VENV)/.installed
	$(BIN)/jupyter-book build . -W -n --keep-going
	@echo "Built. Open $(CURDIR)/_build/html/index.html, or serve it: $(BIN)/python -m http.server -d _build/html"

test: book
	$(BIN)/python -m pytest

bench: $(VENV)/.installed
	$(BIN)/python benchmarks/bench_cross_entropy.py

# After editing a chapter: rewrite its install cell from _config.yml and its paired .ipynb for Colab.
sync: $(VENV)/.installed
	$(BIN)/python scripts/sync_notebooks.py
