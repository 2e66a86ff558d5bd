# FLS Tracker: `make run` to try it, `make test` to prove it.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app wsgi
STAMP := $(VENV)/.installed
# Where `make run` serves; BASE_URL (the links in every email, including the demo's mail
# and the first reminders) follows it: `make run PORT=8080`.
HOST ?= 127.0.0.1
PORT ?= 5000
BASE_URL ?= http://$(HOST):$(PORT)

.PHONY: run test test-fast test-e2e lint format bench load mail-bench browser office oidc-provider clean

$(STAMP): requirements.txt requirements-dev.txt
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $(STAMP)

run: export BASE_URL := $(BASE_URL)
run: $(STAMP)
	$(FLASK) db upgrade
	$(FLASK) seed-demo
	$(FLASK) send-reminders
	@echo "Demo mail is written to instance/mail/ as .eml files (no MAIL_SERVER set)."
	$(FLASK) send-mail & SENDER=$$!; trap 'kill $$SENDER' EXIT INT TERM; \
	$(FLASK) run --host $(HOST) --port $(PORT)

# Debian's chromium for the browser tests; LibreOffice to check generated documents' pages.
browser:
	@command -v chromium >/dev/null 2>&1 || (apt-get update -qq && apt-get install -y -qq chromium >/dev/null)

office:
	@command -v soffice >/dev/null 2>&1 || (apt-get update -qq && apt-get install -y -qq --no-install-recommends libreoffice-writer-nogui poppler-utils >/dev/null)

# The OpenID Connect provider the single sign-on tests start (npm oidc-provider, pinned by
# tests/oidc_provider/package-lock.json); Debian's Node.js when there is none.
OIDC_PROVIDER := tests/oidc_provider/node_modules/.package-lock.json
$(OIDC_PROVIDER): tests/oidc_provider/package.json tests/oidc_provider/package-lock.json
	@command -v npm >/dev/null 2>&1 || (apt-get update -qq && apt-get install -y -qq --no-install-recommends nodejs npm >/dev/null)
	cd tests/oidc_provider && npm ci --no-audit --no-fund --silent
oidc-provider: $(OIDC_PROVIDER)

test: $(STAMP) browser office oidc-provider
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	env -u DATABASE_URL FLS_ENV=test $(BIN)/pytest

# The tests never read DATABASE_URL (a real deployment); TEST_DATABASE_URL names theirs.
test-fast: $(STAMP) oidc-provider
	env -u DATABASE_URL FLS_ENV=test $(BIN)/pytest -m "not e2e"

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# The main pages at two sizes on SQLite, then 500 and 1,000 sites on PostgreSQL with a
# year of history a site (BENCH_DATABASE_URL, else TEST_DATABASE_URL, else a throwaway
# cluster). BENCH_ARGS=--quick for a quick look (no PostgreSQL size).
bench: $(STAMP)
	FLS_ENV=test $(BIN)/python -m bench.run $(BENCH_ARGS)

# 50 simulated people for 60 s against gunicorn on a throwaway PostgreSQL, RUNS runs at
# each size in SITES, the first straight after seeding: make load SITES="166 1000" RUNS=5
SITES ?= 166
RUNS ?= 2
load: $(STAMP)
	$(BIN)/pip install --quiet -r requirements-load.txt
	$(BIN)/python -m bench.load --sites $(SITES) --runs $(RUNS)

# 10,000 messages queued in bulk, then delivered to a local aiosmtpd server (< 5 minutes).
# MAIL_BENCH_DATABASE_URL=postgresql+psycopg://... runs it on an empty PostgreSQL database.
mail-bench: $(STAMP)
	FLS_ENV=test $(BIN)/python -m bench.mail $(if $(MAIL_BENCH_DATABASE_URL),--database-url $(MAIL_BENCH_DATABASE_URL))

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
