# UnionPortal — two commands on a fresh machine:
#   make run    set up everything and serve the portal on http://127.0.0.1:8000 (SQLite)
#   make test   run every test (DATABASE_URL=postgres://... to test on PostgreSQL)

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.requirements-installed
AXE := node_modules/axe-core/axe.min.js
DEMO_PASSWORD ?= unionportal-demo
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_ARGS ?=

export DJANGO_SETTINGS_MODULE ?= unionportal.settings.dev

.PHONY: setup run test lint arch format messages demo clean backup restore load

setup: $(STAMP) locale/vi/LC_MESSAGES/django.mo $(AXE)
	@scripts/ensure_system_libs.sh

# axe-core, which the browser tests inject to check accessibility (tests/browser/test_accessibility.py):
# from npm, at the version of package-lock.json, into node_modules/ (never served, never from a CDN).
$(AXE): package.json package-lock.json
# Without npm the portal still runs; the accessibility test then fails saying so (.ci/run has npm).
	@if command -v npm >/dev/null; then npm ci --no-audit --no-fund --loglevel=error && touch $(AXE); \
	else echo "npm is missing (apt-get install npm): the browser tests need axe-core"; fi

$(STAMP): requirements.txt
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -r requirements.txt
	@touch $(STAMP)

# The catalogue is compiled, not committed: msgfmt comes with the system libraries.
locale/vi/LC_MESSAGES/django.mo: locale/vi/LC_MESSAGES/django.po $(STAMP)
	@scripts/ensure_system_libs.sh
	$(BIN)/python manage.py compilemessages -l vi --ignore=.venv -v 0

run: setup
	$(BIN)/python manage.py migrate --noinput -v 0
	$(BIN)/python manage.py load_demo --password "$(DEMO_PASSWORD)"
	@echo ""
	@echo "UnionPortal: http://$(HOST):$(PORT)/"
	@echo "Tài khoản demo ở trên, mật khẩu: $(DEMO_PASSWORD)"
	@echo ""
	@echo "Nhắc hạn báo cáo và webhook (README.md): thêm vào crontab (crontab -e):"
	@echo "  CRON_TZ=Asia/Ho_Chi_Minh"
	@echo "  0 7 * * * cd $(CURDIR) && $(BIN)/python manage.py send_reminders >> var/reminders.log 2>&1"
	@echo "  */5 * * * * cd $(CURDIR) && $(BIN)/python manage.py deliver_webhooks >> var/webhooks.log 2>&1"
	@echo "  15 0 * * * cd $(CURDIR) && $(BIN)/python manage.py apply_due_plans >> var/plans.log 2>&1"
	@echo ""
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

test: setup
	DJANGO_SETTINGS_MODULE=unionportal.settings.test $(BIN)/python -m pytest $(PYTEST_ARGS)

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(MAKE) --no-print-directory arch

# The architecture (docs/architecture.md): the import contracts of pyproject.toml and the size rule.
arch: setup
	$(BIN)/lint-imports
	$(BIN)/python scripts/check_sizes.py --check
	$(BIN)/python scripts/check_reads.py --check

format: setup
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# Refresh the Vietnamese catalogue after adding strings.
messages: $(STAMP)
	$(BIN)/python manage.py makemessages -l vi --ignore=.venv --ignore=bench --no-obsolete

# Backups: pg_dump -Fc / pg_restore on PostgreSQL (DATABASE_URL), a consistent copy on SQLite.
backup: setup
	$(BIN)/python manage.py backup_db $(if $(FILE),--output "$(FILE)",)

restore: setup
	@test -n "$(FILE)" || { echo "Usage: make restore FILE=var/backups/unionportal-….dump"; exit 2; }
	$(BIN)/python manage.py restore_db "$(FILE)"

# Load test: 50 users on the dashboards, lists and grid against gunicorn on 127.0.0.1 for 2 minutes,
# on PostgreSQL (bench/load/run.py; figures in BENCHMARKS.md). LOAD_ARGS="--users 10 --duration 30" for a quick look.
load: setup
	$(BIN)/python bench/load/run.py $(LOAD_ARGS)

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles var node_modules
