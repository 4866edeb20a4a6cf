# fcnn — `make serve` and `make test` do all the set-up on a fresh machine.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
VENDOR_STAMP := static/vendor/.stamp
PACKAGE_ZIP := static/vendor/fcnn.zip
FACTS := static/vendor/facts.json
NUMPY_PYCACHE := static/vendor/numpy-pycache.zip
PYODIDE_SNAPSHOT := static/vendor/pyodide-snapshot.bin
FCNN_SOURCES := $(wildcard fcnn/*.py fcnn/*/*.py fcnn/*/*.json)

.PHONY: all vendor serve test unit browser screenshot chromium clean

all: vendor

# The offline runtime (PyScript, Pyodide, numpy wheels, uPlot) from npm and PyPI, hash-checked.
$(VENDOR_STAMP): scripts/vendor.py scripts/vendor-lock.json
	$(PYTHON) scripts/vendor.py

# The fcnn package as one archive the worker unpacks: the same source CPython imports.
$(PACKAGE_ZIP): $(FCNN_SOURCES) $(VENDOR_STAMP) scripts/zip_package.py scripts/pyodide_build.py
	$(PYTHON) scripts/zip_package.py $@

# The facts the page and the engine share (defaults, limits, choices, samples), written
# from fcnn.run.settings; it imports the package, so $(PYTHON) needs numpy.
$(FACTS): $(FCNN_SOURCES) $(VENDOR_STAMP)
	$(PYTHON) -m fcnn.web.facts $@

# numpy's modules compiled by the vendored Pyodide (under Node), so the page does not compile
# them at every start; without Node it is written empty and the page compiles them itself.
$(NUMPY_PYCACHE): $(VENDOR_STAMP) scripts/numpy_pycache.py scripts/pyodide_build.py
	$(PYTHON) scripts/numpy_pycache.py $@

# The booted Pyodide's memory, made under Node, so a first visit restores it instead of booting;
# without Node it is written empty and the page boots in full.
$(PYODIDE_SNAPSHOT): $(VENDOR_STAMP) scripts/pyodide_snapshot.py
	$(PYTHON) scripts/pyodide_snapshot.py $@

vendor: $(VENDOR_STAMP) $(PACKAGE_ZIP) $(FACTS) $(NUMPY_PYCACHE) $(PYODIDE_SNAPSHOT)

serve: vendor
	@echo "fcnn is served on http://127.0.0.1:$(PORT)/  (Ctrl-C stops it)"
	$(PYTHON) -m http.server $(PORT) --bind 127.0.0.1

$(VENV)/.installed: requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

# Debian's Chromium: Playwright's own browser download does not work here.
chromium:
	@command -v /usr/bin/chromium >/dev/null || { \
	  echo "installing Debian's chromium (needs root)"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; }

unit: $(VENV)/.installed
	$(PY) -m pytest -m "not browser"

browser: vendor chromium $(VENV)/.installed
	$(PY) -m pytest -m browser

test: vendor chromium $(VENV)/.installed
	$(PY) -m pytest

# Regenerates docs/screenshot-*.png from the real page.
screenshot: vendor chromium $(VENV)/.installed
	$(PY) scripts/screenshots.py

clean:
	rm -rf static/vendor $(VENV) .pytest_cache

# dist/site/: the one folder to put on any static host (see README, "Hosting and offline use").
.PHONY: site serve-site bench-startup clean-site
site: vendor
	$(PYTHON) scripts/build_site.py --out dist/site

# A demo folder: the app opening on your table, settings and notes (see README, "Share a lesson").
# make demo DATA=table.csv TARGET=col [OPTIONS="--title T --notes notes.md --hide optimizer"] [OUT=dist/demo]
.PHONY: demo
OUT ?= dist/demo
demo: vendor
	@test -n "$(DATA)" -a -n "$(TARGET)" || { echo "usage: make demo DATA=table.csv TARGET=column [OPTIONS=...] [OUT=dist/demo]"; exit 2; }
	$(PYTHON) -m fcnn demo "$(DATA)" --target "$(TARGET)" --out "$(OUT)" $(OPTIONS)

# Its own port: a service worker belongs to an origin (host and port), so the built
# site's worker never meets `make serve` on 8000 (and removes itself if it does).
SITE_PORT ?= 8001
serve-site: site
	@echo "dist/site is served on http://127.0.0.1:$(SITE_PORT)/  (Ctrl-C stops it)"
	$(PYTHON) -m http.server $(SITE_PORT) --bind 127.0.0.1 --directory dist/site

# Start-up benchmark: cold and warm loads of dist/site beside a plain PyScript page (the floor).
bench-startup: site chromium $(VENV)/.installed
	$(PY) scripts/bench_startup.py

clean-site:
	rm -rf dist/site

# A 100,000 × 20 CSV in the real page: parse time, time per epoch, first epoch, memory,
# longest main-thread task; and the same session calls in CPython. Figures, not a test.
.PHONY: bench-scale
bench-scale: vendor chromium $(VENV)/.installed
	$(PY) scripts/bench_scale.py

# Issue 11's figures: the Graph view's and the trace's main-thread tasks and round trips
# (10 layers × 512, batch 32), the neuron maps' share of training time, and training with
# every view on screen against the page before them. Figures, not tests.
.PHONY: bench-inside
bench-inside: vendor chromium $(VENV)/.installed
	$(PY) scripts/bench_graph.py
	$(PY) scripts/bench_trace.py
	$(PY) scripts/bench_neurons.py
	$(PY) scripts/bench_views_training.py

# Issue 20's figures: training with the whole one-screen workspace on screen against the same run
# with its views hidden (the seed's configuration, Boston as the page opens it), the longest
# main-thread task while training, and every sample's time in the page. Figures, not a test.
.PHONY: bench-workspace
bench-workspace: vendor chromium $(VENV)/.installed
	$(PY) scripts/bench_workspace.py

# Issue 13's training figures: the seed's configuration (Boston, 1×8 sigmoid, SGD, 500 epochs)
# and the throughput run (2×64 relu, Adam, batch 256, 20,000 × 20 rows) in the page and in
# CPython, interleaved, with their ratios and where the page's time goes. Figures, not a test.
# make bench-browser [BENCH_OPTIONS="--runs 5 --json figures.json"]
.PHONY: bench-browser
bench-browser: vendor chromium $(VENV)/.installed
	$(PY) scripts/bench_browser.py $(BENCH_OPTIONS)
