# Two commands matter: `make report` and `make test`. Both create .venv/ when missing.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: install report test clean bench bench-scale bench-quick screenshots readme

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
CHROMIUM := $(or $(REUSE_CHROMIUM),/usr/bin/chromium)
$(CHROMIUM):
	apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium

test: $(STAMP) $(CHROMIUM)
	$(BIN)/ruff check reuse tests benchmarks tools
	$(BIN)/python -m pytest -q

# Re-take the README's pictures of report.html (docs/screenshots/): the report `make report` writes.
screenshots: $(STAMP) $(CHROMIUM)
	REUSE_SCREENSHOTS=docs/screenshots $(BIN)/python -m pytest -q tests/test_report_browser.py -k readme_pictures
	if command -v pngquant >/dev/null; then pngquant --force --skip-if-larger --ext .png docs/screenshots/*.png || true; fi

# The README from real runs: `make report`, its samples rewritten between their markers
# (tools/readme_samples.py; tests/test_readme.py checks them), and its screenshots re-taken.
readme: report
	$(BIN)/python -m tools.readme_samples
	$(MAKE) screenshots

# Benchmarks (benchmarks/RESULTS.md). The peers' packages (text-dedup pulls in pyspark and datasets)
# go in only for `make bench`; generated corpora land in benchmarks/data/ (git-ignored).
BENCH_STAMP := $(VENV)/.bench-installed
BENCH_SIZES ?= 10k,100k,1M

$(BENCH_STAMP): $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[test,bench]'
	touch $(BENCH_STAMP)

bench: bench-scale

bench-scale: $(BENCH_STAMP)
	$(BIN)/python -m benchmarks.bench_scale --sizes $(BENCH_SIZES)

# 10k articles, correctness only (recall/precision, same results across jobs and batch sizes): CI.
bench-quick: $(STAMP)
	$(BIN)/python -m benchmarks.bench_scale --quick

clean:
	rm -rf $(VENV) reports/*.jsonl reports/*.csv reports/*.html reports/*.db reports/report_pages
