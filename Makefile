# Two commands: `make run` (the app on http://127.0.0.1:8000 with SQLite and demo data)
# and `make test` (lint, checks and the whole test suite). Everything else is a helper.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
MANAGE := $(PY) manage.py
ARTIFACTS := test-artifacts
# Production-like settings for `check --deploy` (a throwaway key: this only checks the settings).
DEPLOY_ENV := DEBUG=false ALLOWED_HOSTS=congdoan.example CSRF_TRUSTED_ORIGINS=https://congdoan.example \
	SECRET_KEY=deploy-check-$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(50))')

.PHONY: run test lint format check messages lock sysdeps sysdeps-test bench clean

$(BIN)/.installed: requirements-dev.lock
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check --require-hashes -r requirements-dev.lock
	@touch $@

# Development settings: written once, never overwrites your own .env.
.env:
	@printf 'DEBUG=true\n' > $@
	@echo "Wrote .env (DEBUG=true) for development."

sysdeps:
	@scripts/install-system-packages

sysdeps-test:
	@scripts/install-system-packages test

messages: $(BIN)/.installed
	@$(MANAGE) compilemessages --ignore=$(VENV) -v0

run: sysdeps $(BIN)/.installed .env messages
	$(MANAGE) migrate --no-input -v1
	$(MANAGE) seed_demo
	$(MANAGE) runserver 127.0.0.1:8000

lint: $(BIN)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(BIN)/.installed
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

check: $(BIN)/.installed .env messages
	$(MANAGE) check --fail-level WARNING
	$(MANAGE) makemigrations --check --dry-run
	$(DEPLOY_ENV) $(MANAGE) check --deploy --fail-level WARNING

# pytest exits 5 when it collected no test: that is a failure here, not a pass.
test: sysdeps-test lint check
	@rm -rf $(ARTIFACTS) && mkdir -p $(ARTIFACTS)/screenshots
	$(BIN)/pytest $(PYTEST_ARGS); status=$$?; \
	if [ $$status -eq 5 ]; then echo "pytest collected no tests: failing."; exit 1; fi; \
	echo "Browser screenshots: $(ARTIFACTS)/screenshots ($$(ls $(ARTIFACTS)/screenshots | wc -l) files)"; \
	exit $$status

# WeasyPrint against LibreOffice (converting the .docx export) on a 60-section plan, the daily reminder sweep
# over 10,000 unions, the dashboard of 500 unions and the member roll (importing 5,000 members from Excel,
# the roll page and its export), the dues sheet of 5,000 members and a cash book of 50,000 entries: writes
# docs/benchmarks.md.
bench: $(BIN)/.installed messages
	@scripts/install-system-packages bench
	$(PY) scripts/bench_render.py $(BENCH_ARGS)
	@mkdir -p $(ARTIFACTS)
	$(PY) scripts/bench_reminders.py > $(ARTIFACTS)/bench-reminders.md
	$(PY) scripts/bench_dashboard.py > $(ARTIFACTS)/bench-dashboard.md
	$(PY) scripts/bench_members.py > $(ARTIFACTS)/bench-members.md
	$(PY) scripts/bench_finance.py > $(ARTIFACTS)/bench-finance.md
	@for part in reminders dashboard members finance; do printf '\n' >> docs/benchmarks.md; cat $(ARTIFACTS)/bench-$$part.md >> docs/benchmarks.md; done
	@tail -n 25 docs/benchmarks.md

# Re-pin every dependency (with hashes, no index host) after editing pyproject.toml.
lock: $(BIN)/.installed
	$(BIN)/uv pip compile pyproject.toml --python-version 3.11 --generate-hashes --no-emit-index-url --no-header -q -o requirements.lock
	$(BIN)/uv pip compile pyproject.toml --extra dev --python-version 3.11 --generate-hashes --no-emit-index-url --no-header -q -o requirements-dev.lock

# Refresh the Vietnamese catalogue from the sources (then translate what is new).
makemessages: $(BIN)/.installed
	$(MANAGE) makemessages -l vi --no-location --no-obsolete --ignore=$(VENV) --ignore=staticfiles --ignore=tests

clean:
	rm -rf $(VENV) $(ARTIFACTS) staticfiles .pytest_cache .ruff_cache
