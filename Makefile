# Two commands matter: `make report` and `make test`. Both create .venv/ when missing.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: install report test clean bench bench-scale bench-quick

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

report: $(STAMP)
	$(BIN)/reuse scan seeds/ --out reports/

test: $(STAMP)
	$(BIN)/python -m pytest -q

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
	rm -rf $(VENV) reports/*.jsonl reports/*.csv reports/*.html reports/*.db
