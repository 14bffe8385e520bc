# Two commands matter: `make report` and `make test`. Both create .venv/ when missing.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: install report test clean bench screenshots

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

report: $(STAMP)
	$(BIN)/reuse scan seeds/ --out reports/

# The report's browser tests drive Debian's Chromium (Playwright cannot download browsers here).
CHROMIUM := /usr/bin/chromium
$(CHROMIUM):
	apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium

test: $(STAMP) $(CHROMIUM)
	$(BIN)/python -m pytest -q

# Re-take the README's pictures of report.html (docs/screenshots/).
screenshots: $(STAMP) $(CHROMIUM)
	REUSE_SCREENSHOTS=docs/screenshots $(BIN)/python -m pytest -q tests/test_report_browser.py
	if command -v pngquant >/dev/null; then pngquant --force --skip-if-larger --ext .png docs/screenshots/*.png || true; fi

clean:
	rm -rf $(VENV) reports/*.jsonl reports/*.csv reports/*.html reports/*.db reports/report_pages
