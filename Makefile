# duban — two commands set everything up: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMPS := .stamps
HOST ?= 127.0.0.1:8000
# fonts: the free CJK fonts ops/fonts/duban-fonts.conf maps the 公文 fonts to (仿宋_GB2312, 方正小标宋简体 →
# Noto Serif CJK SC; 黑体 → Noto Sans CJK SC; 楷体_GB2312 → AR PL UKai CN), and WenQuanYi for the charts
APT_PACKAGES := chromium fonts-wqy-microhei fonts-noto-cjk fonts-arphic-ukai fonts-arphic-uming gettext libreoffice-writer-nogui libreoffice-calc-nogui poppler-utils

.PHONY: install run worker test test-sqlite test-postgres lint system-packages messages clean

install: $(STAMPS)/python $(STAMPS)/npm $(STAMPS)/messages

$(STAMPS)/python: requirements.txt requirements-dev.txt
	@mkdir -p $(STAMPS)
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	@touch $@

$(STAMPS)/npm: package.json package-lock.json
	@mkdir -p $(STAMPS)
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

$(STAMPS)/messages: $(wildcard locale/*/LC_MESSAGES/*.po */locale/*/LC_MESSAGES/*.po) | $(STAMPS)/python
	@command -v msgfmt >/dev/null || $(MAKE) system-packages
	cd . && $(BIN)/python manage.py compilemessages --ignore=.venv --ignore=node_modules -v0
	@touch $@

# Debian packages the browser tests, the documents' fonts and PDFs, charts and translations need; installed only when missing.
system-packages:
	@missing=""; for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing$$missing"; \
	  if [ "$$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing >/dev/null; \
	fi

run: install system-packages
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_demo
	$(BIN)/python manage.py runserver $(HOST)

# The Celery worker of the background jobs (jobs/), on the Redis of DUBAN_BROKER_URL (default the
# machine's own); `make run` needs none: without DUBAN_BROKER_URL jobs run in the request.
worker: install
	DUBAN_BROKER_URL=$${DUBAN_BROKER_URL:-redis://127.0.0.1:6379/0} $(BIN)/celery -A duban worker -l info

test: install system-packages
	$(BIN)/ruff check .
	$(BIN)/python manage.py makemigrations --check --dry-run -v0
	DB_CONN_MAX_AGE=0 $(BIN)/pytest

test-postgres: install system-packages
	DB_CONN_MAX_AGE=0 DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/duban} $(BIN)/pytest

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

messages: install
	$(BIN)/python manage.py makemessages -l zh_Hans --ignore=.venv --ignore=node_modules --ignore=test-artifacts --ignore=staticfiles --no-obsolete
	$(BIN)/python manage.py compilemessages --ignore=.venv --ignore=node_modules

clean:
	rm -rf $(STAMPS) $(VENV) node_modules staticfiles
