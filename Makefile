# CNIG Partage — the two commands of the README, and what they stand on.
#   make run    install, fetch front-end assets, set up the database with demo
#               content, serve on http://127.0.0.1:5000 with the extraction worker
#               (make run PORT=5311 HOST=0.0.0.0: links in emails follow the address)
#   make test   install what the tests need, then ruff and the whole suite

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
VENDOR := static/vendor
DSFR   := node_modules/@gouvfr/dsfr/dist
HOST   ?= 127.0.0.1
PORT   ?= 5000

.PHONY: run test test-fast assets install install-test chromium lint clean

# The extraction worker runs beside the server and stops with it.
run: install
	$(BIN)/cnig-share init-db
	$(BIN)/cnig-share seed-demo
	$(BIN)/cnig-share worker & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker' EXIT INT TERM; \
	$(BIN)/cnig-share run --host $(HOST) --port $(PORT)

# Both commands run the tests in TEST_PROCS processes (pytest-xdist), each on its own
# databases; an idle process takes the tests another has not started (worksteal).
# pytest caches its rewritten test modules as bytecode, which halves each process's start.
TEST_PROCS ?= 2
PYTEST = env -u PYTHONDONTWRITEBYTECODE $(BIN)/pytest -n $(TEST_PROCS) --dist worksteal

test: install-test chromium
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(PYTEST) $(PYTEST_ARGS)

# The inner loop: SQLite only, no browser, no gunicorn.
test-fast: install-test
	$(BIN)/ruff check .
	env -u CNIG_SHARE_TEST_DATABASE_URL -u CNIG_SHARE_TEST_REDIS_URL \
	  $(PYTEST) -m "not slow and not browser" -q $(PYTEST_ARGS)

install: $(BIN)/python assets
	$(BIN)/pip install --quiet -e .

# Installed again only when pyproject.toml changed (pip's own check takes seconds).
install-test: $(VENV)/.test-installed

$(VENV)/.test-installed: pyproject.toml | $(BIN)/python assets
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# Pinned by package-lock.json; install scripts are not run (the DSFR's own
# would ask for a project configuration we do not use). The dev dependencies come
# too: the tests' axe-core and their OpenID provider (oidc-provider, run by Node).
node_modules/.package-lock.json: package.json package-lock.json
	npm ci --ignore-scripts --no-audit --no-fund

assets: $(VENDOR)/.copied

# Copied again when this list changes (the Makefile) or the packages do; the
# artwork is the three pictograms of the display settings (light, dark, system).
$(VENDOR)/.copied: node_modules/.package-lock.json Makefile
	rm -rf $(VENDOR)
	mkdir -p $(VENDOR)/dsfr/utility/icons $(VENDOR)/htmx
	mkdir -p $(VENDOR)/dsfr/artwork/pictograms/environment $(VENDOR)/dsfr/artwork/pictograms/system
	cp $(DSFR)/dsfr.min.css $(DSFR)/dsfr.module.min.js $(DSFR)/dsfr.nomodule.min.js $(VENDOR)/dsfr/
	cp -r $(DSFR)/fonts $(DSFR)/icons $(DSFR)/favicon $(VENDOR)/dsfr/
	cp $(DSFR)/utility/icons/icons.min.css $(VENDOR)/dsfr/utility/icons/
	cp $(DSFR)/artwork/pictograms/environment/sun.svg $(DSFR)/artwork/pictograms/environment/moon.svg \
	  $(VENDOR)/dsfr/artwork/pictograms/environment/
	cp $(DSFR)/artwork/pictograms/system/system.svg $(VENDOR)/dsfr/artwork/pictograms/system/
	cp node_modules/htmx.org/dist/htmx.min.js $(VENDOR)/htmx/
	touch $@

# Browser tests drive Debian's Chromium; install it when missing and root.
chromium:
	@if ! command -v chromium >/dev/null 2>&1; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; \
	  else \
	    echo "chromium est absent : installez le paquet Debian 'chromium' (les tests navigateur échoueront)."; \
	  fi; \
	fi

lint:
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

clean:
	rm -rf $(VENV) node_modules $(VENDOR) build dist *.egg-info
