# Two commands matter: `make report` and `make test`. Both create .venv/ when missing.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: install report test clean bench bench-scale bench-heavy bench-quick screenshots

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
	$(BIN)/python -m pytest -q

# Re-take the README's pictures of report.html (docs/screenshots/).
screenshots: $(STAMP) $(CHROMIUM)
	REUSE_SCREENSHOTS=docs/screenshots $(BIN)/python -m pytest -q tests/test_report_browser.py
	if command -v pngquant >/dev/null; then pngquant --force --skip-if-larger --ext .png docs/screenshots/*.png || true; fi

# Benchmarks (benchmarks/RESULTS.md). The peers' packages (text-dedup pulls in pyspark and datasets)
# go in only for `make bench`; generated corpora land in benchmarks/data/ (git-ignored).
BENCH_STAMP := $(VENV)/.bench-installed
BENCH_SIZES ?= 10k,100k,1M
# Benchmarks that look like use (issue 11): heavy-reuse and same-topic sizes, the PAN13 folder
# (skipped when ../shared/bench is absent), and the seconds after which a scan is killed.
BENCH_HEAVY_SIZES ?= 10k,100k,1M
BENCH_TOPIC_SIZES ?= 300,2000
BENCH_TIMEOUT ?= 1200

$(BENCH_STAMP): $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[test,bench]'
	touch $(BENCH_STAMP)

bench: bench-scale bench-heavy

bench-scale: $(BENCH_STAMP)
	$(BIN)/python -m benchmarks.bench_scale --sizes $(BENCH_SIZES)

bench-heavy: $(BENCH_STAMP)
	$(BIN)/python -m benchmarks.bench_heavy --heavy '$(BENCH_HEAVY_SIZES)' --topic '$(BENCH_TOPIC_SIZES)' --timeout $(BENCH_TIMEOUT)

# Correctness only, never a time (CI): 10k synthetic articles (recall/precision, same results
# across jobs and batch sizes), then 3,000 heavy-reuse articles (planted recall/precision >= 0.95).
bench-quick: $(STAMP)
	$(BIN)/python -m benchmarks.bench_scale --quick
	$(BIN)/python -m benchmarks.bench_heavy --quick

clean:
	rm -rf $(VENV) reports/*.jsonl reports/*.csv reports/*.html reports/*.db reports/report_pages
