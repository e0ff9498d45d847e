# caseload: `make run` serves the demo, `make test` runs the whole suite. Nothing else is needed.
SHELL := /bin/bash
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 5000
FLASK := $(BIN)/flask --app app
APT_PACKAGES := chromium poppler-utils fonts-dejavu-core libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b nginx-light systemd

.PHONY: run test install install-dev system-packages translations lint bench clean

$(BIN)/python:
	$(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $(VENV)/.installed $@

install: $(VENV)/.installed translations
install-dev: $(VENV)/.installed-dev translations

translations: | $(BIN)/python
	@$(BIN)/pybabel compile -q -d caseload/translations 2>/dev/null || $(BIN)/pybabel compile -d caseload/translations

system-packages:
	@missing=""; \
	for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing system packages:$$missing"; \
	  SUDO=$$([ "$$(id -u)" = 0 ] || echo sudo); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing >/dev/null; \
	fi

run: install
	mkdir -p instance
	$(FLASK) db upgrade
	$(FLASK) demo seed --if-empty
	@echo "Demo logins (password: demo-password): specialist@demo.test specialist2@demo.test supervisor@demo.test clinician@demo.test admin@demo.test trial@demo.test assessor@demo.test statistician@demo.test"
	@echo "Serving on http://127.0.0.1:$(PORT) (the scheduler runs beside it)"
	@$(FLASK) scheduler run & sched=$$!; trap "kill $$sched 2>/dev/null" EXIT INT TERM; \
	$(FLASK) run --host 127.0.0.1 --port $(PORT)

test: system-packages install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy caseload
	$(BIN)/bandit -q -ll -r caseload
	$(BIN)/python -m pytest -q -n 2 --dist worksteal $(PYTEST_ARGS)

lint: install-dev
	$(BIN)/ruff check . && $(BIN)/ruff format --check . && $(BIN)/mypy caseload && $(BIN)/bandit -q -ll -r caseload

# Region-scale benchmark (docs/performance.md): seeds or reuses bench/region.db, and the PostgreSQL
# database in BENCH_DATABASE_URL when set; writes bench/results.json. BENCH_ARGS="--only client_page".
bench: install-dev
	$(BIN)/python -m bench $(BENCH_ARGS)
	$(BIN)/python -m bench.trial

clean:
	rm -rf $(VENV) instance/*.db
