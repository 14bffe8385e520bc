# Two commands matter: `make report` and `make test`. Both create .venv/ when missing.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: install report test test-no-numba java clean bench bench-scale bench-heavy bench-spark bench-quick screenshots readme constraints

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# constraints.txt pins every package to the version the tests ran with (a fresh clone installs the
# same); `make constraints` rewrites it from the current venv after a deliberate upgrade.
# Installed modules are byte-compiled once here: where PYTHONDONTWRITEBYTECODE is set (as on these
# machines) Python would otherwise compile numpy, scipy and scikit-learn from source on every start
# (about 3 s a scan). Compiling is only a speed-up, so a file it cannot compile does not stop the install.
COMPILE := $(BIN)/python -m compileall -q -j 0 $(VENV)/lib reuse >/dev/null || true

$(STAMP): $(BIN)/python pyproject.toml constraints.txt
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[test]'
	$(COMPILE)
	touch $(STAMP)

constraints: $(SPARK_STAMP)
	{ sed -n '1,2p' constraints.txt; $(BIN)/python -m pip list --format=freeze --exclude-editable | grep -v -E '^(pip|setuptools|wheel)=='; } > constraints.tmp
	mv constraints.tmp constraints.txt

install: $(STAMP)

report: $(STAMP)
	$(BIN)/reuse scan seeds/ --out reports/

# The report's browser tests drive Debian's Chromium (Playwright cannot download browsers here).
CHROMIUM := $(or $(REUSE_CHROMIUM),/usr/bin/chromium)
$(CHROMIUM):
	apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium

# The Spark engine's tests (marker `spark`) need the extra reuse[spark] and Java 17 (Debian's package).
SPARK_STAMP := $(VENV)/.spark-installed
$(SPARK_STAMP): $(STAMP)
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[test,spark]'
	$(COMPILE)
	touch $(SPARK_STAMP)

java:
	command -v java >/dev/null || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq openjdk-17-jre-headless)

test: $(STAMP) $(SPARK_STAMP) java $(CHROMIUM)
	$(BIN)/ruff check reuse tests benchmarks tools
	$(BIN)/python -m pytest -q

# The numpy twins of the numba kernels (CI: numba is always installed under .[test]).
test-no-numba: $(STAMP)
	REUSE_NO_NUMBA=1 $(BIN)/python -m pytest -q -m "not browser" tests/text tests/stages tests/engine tests/index

# Re-take the README's pictures of report.html (docs/screenshots/): the report `make report` writes.
screenshots: $(STAMP) $(CHROMIUM)
	REUSE_SCREENSHOTS=docs/screenshots $(BIN)/python -m pytest -q -m browser -k readme_pictures
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
# Benchmarks that look like use (issue 11): heavy-reuse and same-topic sizes, the PAN13 folder
# (skipped when ../shared/bench is absent), and the seconds after which a scan is killed.
BENCH_HEAVY_SIZES ?= 10k,100k,1M
BENCH_TOPIC_SIZES ?= 300,2000
BENCH_TIMEOUT ?= 1200

$(BENCH_STAMP): $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[test,bench]'
	$(COMPILE)
	touch $(BENCH_STAMP)

bench: bench-scale bench-heavy bench-spark

bench-scale: $(BENCH_STAMP)
	$(BIN)/python -m benchmarks.bench_scale --sizes $(BENCH_SIZES)

bench-heavy: $(STAMP)
	$(BIN)/python -m benchmarks.bench_heavy --heavy '$(BENCH_HEAVY_SIZES)' --topic '$(BENCH_TOPIC_SIZES)' --timeout $(BENCH_TIMEOUT)

# The Spark engine (local[2]) beside the local engine: time, shuffle per stage, driver memory.
SPARK_BENCH_SIZES ?= 10k
bench-spark: $(SPARK_STAMP) java
	$(BIN)/python -m benchmarks.bench_spark --sizes $(SPARK_BENCH_SIZES)

# Correctness only, never a time (CI): 10k synthetic articles (recall/precision, same results
# across jobs and batch sizes), then 3,000 heavy-reuse articles (planted recall/precision >= 0.95).
bench-quick: $(STAMP)
	$(BIN)/python -m benchmarks.bench_scale --quick
	$(BIN)/python -m benchmarks.bench_heavy --quick

clean:
	rm -rf $(VENV) reports/*.jsonl reports/*.csv reports/*.html reports/*.db reports/report_pages
