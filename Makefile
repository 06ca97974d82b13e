# Two commands on a fresh machine: `make build` (sets up and builds the demo portal into site/)
# and `make test` (sets up, installs what the tests need from Debian, and runs every check).
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
DEBIAN_TEST_PACKAGES := chromium poppler-utils fonts-dejavu-core default-jre-headless nginx-light postgresql \
	tesseract-ocr tesseract-ocr-vie

.PHONY: build test serve watch demo hooks lint system-deps clean help receipts

help:
	@echo "make build   - cài đặt và dựng Trang thông tin minh họa vào site/"
	@echo "make test    - cài đặt và chạy toàn bộ kiểm thử"
	@echo "make serve   - xem trước Trang thông tin tại http://127.0.0.1:8000/ (tự dựng lại, tự tải lại)"
	@echo "make watch   - theo dõi thư mục inbox/: đặt tệp PDF đã ký vào đó là được công bố (commit)"
	@echo "make demo    - tạo lại bộ văn bản và PKI minh họa"
	@echo "make hooks   - cài kiểm tra trước khi commit (pre-commit hook)"
	@echo "make receipts - chạy thử dịch vụ gửi thư và xác nhận đã nhận tại http://127.0.0.1:8030/"

$(VENV)/.installed: requirements.lock pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.lock
	$(PY) -m pip install --quiet --no-deps -e .
	touch $@

build: $(VENV)/.installed
	$(PY) -m pipeline build

serve: $(VENV)/.installed
	$(PY) -m pipeline serve

# The drop folder: a signed PDF saved into inbox/ is checked, moved to documents/<year>/ and committed;
# a refused one goes to inbox/bi-tu-choi/ with an explanation. WATCH_FLAGS=--push also pushes.
watch: $(VENV)/.installed
	$(PY) -m pipeline watch inbox $(WATCH_FLAGS)

demo: $(VENV)/.installed
	$(PY) scripts/make_demo.py

# The receipts service (issue 19) on the demo portal, with a local SMTP sink that shows every mail.
receipts: build
	$(PY) -m receipts demo

# Regenerate the golden metadata corpus of tests/golden (issue 4).
golden: $(VENV)/.installed
	$(PY) scripts/make_golden.py

# Install the pre-commit check: a refused PDF stops `git commit` with a Vietnamese explanation.
hooks: $(VENV)/.installed
	@printf '#!/bin/sh\n# congbo: refuse secret, unsigned or invalid documents before they enter history.\nexec "%s/$(VENV)/bin/python" -m pipeline --root "%s" check --staged\n' "$$(pwd)" "$$(pwd)" > .git/hooks/pre-commit
	chmod +x .git/hooks/pre-commit
	@echo "Đã cài pre-commit hook: .git/hooks/pre-commit"

# Debian packages the tests need (a real browser, poppler's pdfsig, a font with Vietnamese glyphs,
# nginx for the shipped web-server configuration, PostgreSQL for the receipts service, Tesseract with
# its Vietnamese data for scanned letters).
system-deps:
	@missing=""; \
	command -v chromium >/dev/null || missing="$$missing chromium"; \
	command -v pdfsig >/dev/null || missing="$$missing poppler-utils"; \
	[ -f /usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf ] || missing="$$missing fonts-dejavu-core"; \
	command -v java >/dev/null || missing="$$missing default-jre-headless"; \
	[ -x /usr/sbin/nginx ] || missing="$$missing nginx-light"; \
	ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing="$$missing postgresql"; \
	command -v tesseract >/dev/null || missing="$$missing tesseract-ocr"; \
	[ -n "$$(ls /usr/share/tesseract-ocr/*/tessdata/vie.traineddata 2>/dev/null)" ] || missing="$$missing tesseract-ocr-vie"; \
	if [ -n "$$missing" ]; then \
	  echo "Installing Debian packages:$$missing"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; \
	fi

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy pipeline receipts

test: $(VENV)/.installed system-deps lint
	$(PY) -m pytest -n 2 -q

clean:
	rm -rf site .congbo .pytest_cache .mypy_cache
