"""The Spark engine beside the local engine on the synthetic corpus: time, shuffle per stage, driver memory.

    python -m benchmarks.bench_spark --sizes 10k          # or: make bench-spark
    python -m benchmarks.bench_spark --corpus heavy-100k-s7.jsonl --master 'local[2]'

Each size runs ``reuse scan corpus.jsonl --formats jsonl`` twice in subprocesses, once per engine,
checks that the two ``pairs.jsonl``/``passages.jsonl``/``clusters.jsonl`` are byte-identical,
and records wall time, CPU time (user + system of every process of the run), the stage times and shuffle bytes the Spark engine logs (job groups,
read from Spark's monitoring REST API, so the UI is on for these runs), and memory sampled from
/proc: the driver's Python process alone, its JVM, and every process of the run (PSS).
Results go to ``benchmarks/out/spark.json`` and the Spark section of ``benchmarks/RESULTS.md``.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

from benchmarks.bench_scale import DATA, RESULTS, SIZES, corpus_path
from benchmarks.measure import commit, process_table, process_tree, tree_memory_bytes, write_section

OUT = DATA.parent / "out" / "spark.json"
BEGIN, END = "<!-- spark:begin -->", "<!-- spark:end -->"
COMPARED = ("pairs.jsonl", "passages.jsonl", "clusters.jsonl")


def _rss_bytes(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status") as fh:
            for line in fh:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def _java_children(pid: int) -> list[int]:
    """The driver's JVM (``spark-submit`` starts it as a child of the Python driver)."""
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as fh:
                stat = fh.read()
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid and "java" in stat.split(")")[0]:
                found.append(int(entry))
        except (OSError, ValueError, IndexError):
            continue
    return found


CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def _tree_cpu(root: int, seen: dict[int, float]) -> None:
    """Note the CPU seconds (user + system) of ``root`` and every descendant, alive now, in ``seen``.

    Sampled, because Spark's processes are not all reaped by the run's process: its JVM and the
    JVM's Python workers (long-lived: ``spark.python.worker.reuse``) are summed from ``/proc``.
    """
    table = process_table()
    for pid in process_tree(root, table):
        if pid in table:
            fields = table[pid]
            seen[pid] = max(seen.get(pid, 0.0), (int(fields[11]) + int(fields[12])) / CLOCK_TICKS)


def run(corpus: Path, out: Path, engine: str, master: str) -> dict[str, Any]:
    """One scan: wall time, peak memory (driver Python RSS, its JVM RSS, all processes PSS), logged stats."""
    cmd = [str(Path(sys.executable).with_name("reuse")), "scan", str(corpus), "--formats", "jsonl",
           "--out", str(out), "-v"]
    if engine == "spark":
        cmd += ["--engine", "spark", "--spark-master", master, "--spark-conf", "spark.ui.enabled=true",
                "--spark-conf", "spark.driver.memory=2g"]
    else:
        cmd += ["--jobs", "2"]
    peak = {"driver_rss": 0, "jvm_rss": 0, "all_pss": 0}
    t = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                            env={**os.environ, "SPARK_LOCAL_IP": "127.0.0.1"})
    err: list[str] = []
    reader = threading.Thread(target=lambda: err.extend(proc.stderr))
    reader.start()
    jvms: list[int] = []
    seen: dict[int, float] = {}
    while True:
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)  # this run's CPU alone, another may run beside it
        if pid:
            proc.returncode = os.waitstatus_to_exitcode(status)
            break
        jvms = jvms or _java_children(proc.pid)
        _tree_cpu(proc.pid, seen)
        peak["driver_rss"] = max(peak["driver_rss"], _rss_bytes(proc.pid))
        peak["jvm_rss"] = max(peak["jvm_rss"], sum(_rss_bytes(j) for j in jvms))
        peak["all_pss"] = max(peak["all_pss"], tree_memory_bytes(proc.pid))
        time.sleep(0.5)
    wall = time.perf_counter() - t
    reaped = usage.ru_utime + usage.ru_stime  # the scan and the descendants it reaped
    cpu = max(reaped, sum(seen.values()))  # and those it left to others (Spark's JVM, its Python workers)
    reader.join()
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed:\n{''.join(err[-30:])}")
    row: dict[str, Any] = {"engine": engine, "cmd": " ".join(["reuse", *cmd[1:]]), "wall": wall, "cpu": cpu, "cpu_reaped": reaped,
                           **{f"peak_{k}_mb": v / 2**20 for k, v in peak.items()}}
    for line in err:
        if engine == "spark" and "spark: " in line and "seconds {" in line:
            row["stages"] = json.loads(line.split("seconds ", 1)[1].split("; shuffle", 1)[0])
            row["shuffle_bytes"] = json.loads(line.split("shuffle bytes ", 1)[1].split("; driver", 1)[0])
            task = line.rsplit("worker peak RSS MB ", 1)[-1].strip() if "worker peak RSS MB " in line else "None"
            if task != "None":  # the talking-points task's Python worker (the stage's one task)
                row["peak_talking_task_rss_mb"] = float(task)
        elif engine == "spark" and "driver peak RSS MB at the end of each stage " in line:  # which stage grows
            row["driver_peak_by_stage_mb"] = json.loads(line.split("each stage ", 1)[1])
        elif engine == "local" and "; seconds {" in line:  # the plan's line, not the talking stage's steps
            row["stages"] = json.loads(line.split("seconds ", 1)[1].split("; peak", 1)[0])
    return row


def measure(corpus: Path, master: str, together: bool = False) -> dict[str, Any]:
    """Both engines on ``corpus``: one after the other, or (``together``) at the same time, so that a
    machine shared with other jobs loads both alike (wall times then include each other's load)."""
    base = DATA.parent / "out" / f"spark-{corpus.stem}"
    if together:
        got: dict[str, dict[str, Any]] = {}
        threads = [threading.Thread(target=lambda e=e: got.__setitem__(e, run(corpus, base / e, e, master)))
                   for e in ("local", "spark")]
        for th in threads:
            th.start()
        for th in threads:
            th.join()
        if len(got) < 2:
            raise RuntimeError("a run failed (its error is above)")
        local, spark = got["local"], got["spark"]
    else:
        local = run(corpus, base / "local", "local", master)
        spark = run(corpus, base / "spark", "spark", master)
    same = all((base / "local" / f).read_bytes() == (base / "spark" / f).read_bytes() for f in COMPARED)
    pairs = sum(1 for _ in (base / "spark" / "pairs.jsonl").open())
    n = sum(1 for _ in corpus.open(encoding="utf-8"))
    return {"corpus": corpus.name, "n": n, "master": master, "together": together, "local": local, "spark": spark, "identical": same, "pairs": pairs,
            "commit": commit()}


def _mb(b: int) -> str:
    return f"{b / 2**20:.1f}"


def _shown(cmd: str) -> str:
    """A command with its paths from the repository root (``benchmarks/...``)."""
    return re.sub(r"\S*/(benchmarks/\S+)", r"\1", cmd)


def _cpu(run: dict[str, Any]) -> str:
    """CPU seconds of a run, where measured over its whole process tree (not in rows from before that)."""
    return f"{run['cpu']:.0f}" if "cpu_reaped" in run else "—"


def _talk_rss(run: dict[str, Any]) -> str:
    """Peak RSS of the Python worker that ran the talking-points task (rows from before it was logged: —)."""
    return f"{run['peak_talking_task_rss_mb']:.0f}" if "peak_talking_task_rss_mb" in run else "—"


def write_results(rows: list[dict[str, Any]]) -> None:
    """Replace the Spark section of RESULTS.md."""
    stages = ["ingest", "sketch", "idf", "candidates", "align", "talking_points"]
    lines = [BEGIN, "## Spark engine", "",
             "Reproduce a row: `python -m benchmarks.bench_spark --corpus PATH --master 'local[2]' [--together]` "
             "(`make bench-spark`: the synthetic 10k). Each row runs `reuse scan PATH --formats jsonl` once per engine "
             "(`--together`: both at once, so that the load of other jobs falls on both alike), checks that the two "
             "`pairs.jsonl`, `passages.jsonl` and `clusters.jsonl` are byte-identical, and samples memory and CPU "
             f"(user + system seconds of every process of the run) from /proc. This {os.cpu_count()}-core machine was "
             "shared with other engineers' jobs while measured: compare ratios.", "",
             "| corpus | articles | master | local wall s / CPU s (--jobs 2) | spark wall s / CPU s | spark / local wall "
             "| identical outputs | pairs "
             "| driver Python peak RSS MB | driver JVM peak RSS MB | talking task peak RSS MB "
             "| all processes peak PSS MB (spark / local) | commit |",
             "|---|---|---|---|---|---|---|---|---|---|---|---|---|"]
    for r in rows:
        lo, sp = r["local"], r["spark"]
        lines.append(f"| `{r.get('corpus', '')}` | {r['n']:,} | `{r['master']}` | {lo['wall']:.1f} / {_cpu(lo)} "
                     f"| {sp['wall']:.1f} / {_cpu(sp)} | {sp['wall'] / lo['wall']:.2f}x{' (together)' if r.get('together') else ''} "
                     f"| {'yes' if r['identical'] else 'NO'} | {r['pairs']:,} | {sp['peak_driver_rss_mb']:.0f} "
                     f"| {sp['peak_jvm_rss_mb']:.0f} | {_talk_rss(sp)} "
                     f"| {sp['peak_all_pss_mb']:.0f} / {lo['peak_all_pss_mb']:.0f} | {r['commit']} |")
    lines += ["", "Commands (the harness runs them with the benchmark's corpus path and output folder):", ""]
    lines += [f"- `{r.get('corpus', '')}`: local `{_shown(r['local']['cmd'])}`; spark `{_shown(r['spark']['cmd'])}`"
              for r in rows]
    lines += ["",
              "Spark stage seconds and shuffle written per stage (MB, from the job groups):", "",
              "| corpus | " + " | ".join(f"{s} s / MB" for s in stages) + " |",
              "|---|" + "---|" * len(stages)]
    for r in rows:
        st, sh = r["spark"].get("stages", {}), r["spark"].get("shuffle_bytes", {})
        lines.append(f"| `{r.get('corpus', '')}` | " + " | ".join(f"{st.get(s, 0):.1f} / {_mb(sh.get(s, 0))}" for s in stages) + " |")
    lines += ["", "Raw numbers: `benchmarks/out/spark.json`.", END]
    write_section(RESULTS, BEGIN, END, "\n".join(lines))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="", help="synthetic corpora: comma list of 10k, 100k, 1M or numbers")
    ap.add_argument("--corpus", action="append", default=[], type=Path, help="a JSONL corpus (repeatable)")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--master", default="local[2]")
    ap.add_argument("--together", action="store_true", help="run the two engines at the same time")
    ap.add_argument("--write-only", action="store_true", help="rewrite RESULTS.md from spark.json, run nothing")
    args = ap.parse_args()
    corpora = [corpus_path(SIZES.get(label) or int(label), args.seed) for label in args.sizes.split(",") if label]
    corpora += args.corpus or ([] if corpora else [corpus_path(SIZES["10k"], args.seed)])
    rows = json.loads(OUT.read_text()) if OUT.exists() else []
    for corpus in [] if args.write_only else corpora:
        row = measure(corpus, args.master, args.together)
        print(json.dumps(row), file=sys.stderr)
        rows = [r for r in rows if (r.get("corpus"), r["master"]) != (corpus.name, args.master)] + [row]
        OUT.parent.mkdir(parents=True, exist_ok=True)
        OUT.write_text(json.dumps(rows, indent=1))
    rows.sort(key=lambda r: (r["n"], r.get("corpus", ""), r["master"]))
    write_results(rows)


if __name__ == "__main__":
    main()
