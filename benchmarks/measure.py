"""What every benchmark here measures, once: a ``reuse scan`` subprocess, timings, the peers.

* :func:`run_scan`: wall and CPU time, peak memory of the whole process tree, the stage times and
  counts the scan logs with ``-v``, and the load average of the (shared) machine meanwhile;
* :func:`quality`: planted recall and precision of the pairs a scan reports;
* :func:`median_time`: median wall and CPU seconds of repeated runs;
* :func:`datasketch_signatures`, :func:`datasketch_lsh`: the peers' MinHash stage on the same
  word 5-gram shingles as ours;
* :func:`align_times`: the aligner's time per pair, in this process, on pairs a scan reported.
"""
from __future__ import annotations

import json
import os
import resource
import signal
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent


# --- reuse scan in a subprocess ---------------------------------------------------------------


def process_table() -> dict[int, list[str]]:
    """pid -> the fields of ``/proc/PID/stat`` after the command name (Linux): ``[1]`` is the
    parent pid, ``[11]`` and ``[12]`` the user and system clock ticks."""
    table: dict[int, list[str]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as fh:
                table[int(entry)] = fh.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
    return table


def process_tree(root: int, table: dict[int, list[str]] | None = None) -> list[int]:
    """``root`` and every process descended from it, alive now."""
    table = process_table() if table is None else table
    children: dict[int, list[int]] = {}
    for pid, fields in table.items():
        children.setdefault(int(fields[1]), []).append(pid)
    out, todo = [], [root]
    while todo:
        pid = todo.pop()
        out.append(pid)
        todo.extend(children.get(pid, []))
    return out


def tree_memory_bytes(root: int) -> int:
    """Proportional set size (PSS) of ``root`` and all its descendants, from /proc (Linux).

    PSS, not RSS: forked workers share the parent's pages copy-on-write, and summing RSS would
    count those pages once per worker.
    """
    total = 0
    for pid in process_tree(root):
        try:
            with open(f"/proc/{pid}/smaps_rollup") as fh:
                for line in fh:
                    if line.startswith("Pss:"):
                        total += int(line.split()[1]) * 1024
                        break
        except OSError:
            pass
    return total


def write_section(results: Path, begin: str, end: str, block: str) -> None:
    """Put ``block`` (which starts with ``begin`` and ends with ``end``) into ``results``.

    Each harness owns one marked section of RESULTS.md: a rerun replaces its own section in place
    and leaves the hand-written readings around it alone.
    """
    text = results.read_text(encoding="utf-8") if results.exists() else "# Benchmark results\n"
    if begin in text and end in text:
        text = text[: text.index(begin)] + block + text[text.index(end) + len(end):]
    else:
        text = text.rstrip("\n") + "\n\n" + block + "\n"
    results.write_text(text, encoding="utf-8")


def _rel(path: Path) -> str:
    try:
        return str(Path(path).resolve().relative_to(ROOT))
    except ValueError:
        return os.path.relpath(path, ROOT)


def run_scan(paths: list[Path], out: Path, jobs: int | None, *, timeout: float | None = None) -> dict[str, Any]:
    """Wall and CPU time, peak tree memory, logged stage times and counts of one ``reuse scan``.

    Past ``timeout`` seconds the scan's process group is killed and the result says so
    (``status: "timeout"``) instead of raising: a benchmark row records "> N min".
    """
    cmd = [str(Path(sys.executable).with_name("reuse")), "scan", *map(str, paths), "--formats", "jsonl",
           "-o", str(out), "-v"]
    if jobs:
        cmd += ["--jobs", str(jobs)]
    shown = " ".join(["reuse scan", *map(_rel, paths), "--formats jsonl -o", _rel(out), "-v"]
                     + (["--jobs", str(jobs)] if jobs else []))
    peak, load_max = 0, os.getloadavg()[0]
    load_start = load_max
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, start_new_session=True)
    err: list[str] = []
    reader = threading.Thread(target=lambda: err.extend(proc.stderr))
    reader.start()
    status = "ok"
    while proc.poll() is None:
        peak = max(peak, tree_memory_bytes(proc.pid))
        load_max = max(load_max, os.getloadavg()[0])
        if timeout is not None and time.perf_counter() - t > timeout:
            os.killpg(proc.pid, signal.SIGKILL)  # the scan and its workers: the group we started
            proc.wait()
            status = "timeout"
            break
        time.sleep(0.2)
    wall = time.perf_counter() - t
    reader.join()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)  # the scan and its workers, once all have exited
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if status == "ok" and proc.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed:\n{''.join(err[-20:])}")
    res: dict[str, Any] = {"cmd": shown, "status": status, "wall": wall, "cpu": cpu, "peak_pss_mb": peak / 2**20,
                           "stages": {}, "load": [round(load_start, 2), round(load_max, 2), round(os.getloadavg()[0], 2)]}
    for line in err:  # the scan's summary line: '{counts}; seconds {stage: seconds}'
        if "; seconds {" in line:
            counts, seconds = line.split("; seconds ", 1)
            res["stages"] = json.loads(seconds)
            counts = json.loads(counts[counts.index("{"):])
            res.update({k: int(counts[k]) for k in ("documents", "verified", "aligned") if k in counts})
    return res


def commit() -> str:
    """The checked-out commit (``+`` when the tree has changes), so each row says what it measured."""
    try:
        rev = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True,
                             check=True).stdout.strip()
        # RESULTS.md is what the benchmarks write: a row measured after another was written is still clean.
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no", "--", ".",
                                ":!benchmarks/RESULTS.md"], cwd=ROOT, capture_output=True, text=True).stdout.strip()
        return rev + ("+" if dirty else "")
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def reported_pairs(pairs_file: Path, *, with_passages: bool = True) -> list[tuple[str, str]]:
    """The pairs of a scan's ``pairs.jsonl`` (ids ordered), by default those with a passage."""
    out = []
    with open(pairs_file, encoding="utf-8") as fh:
        for line in fh:
            rec = json.loads(line)
            if rec["n_passages"] > 0 or not with_passages:
                out.append((min(rec["doc_a"], rec["doc_b"]), max(rec["doc_a"], rec["doc_b"])))
    return out


def quality(pairs_file: Path, truth: set[tuple[str, str]], ignore: set[tuple[str, str]] = frozenset()) -> dict[str, Any]:
    """Recall and precision of planted reuse: a pair counts when it has an aligned passage.

    Pairs in ``ignore`` (two documents sharing a few words by chance of the generator) count
    neither as found nor as missed. ``unplanted_paraphrase_only`` says how many of the pairs
    found but not planted rest on paraphrase passages alone (topical likeness, not copying);
    ``copy_precision`` is the precision of the pairs with a verbatim or fuzzy passage (reused words).
    """
    kinds: dict[tuple[str, str], list[str]] = {}
    with open(pairs_file, encoding="utf-8") as fh:
        for line in fh:
            rec = json.loads(line)
            if rec["n_passages"] > 0:
                kinds[(min(rec["doc_a"], rec["doc_b"]), max(rec["doc_a"], rec["doc_b"]))] = rec.get("kinds", [])
    pred = set(kinds) - ignore
    tp = len(pred & truth)
    copied = {p for p in pred if set(kinds[p]) - {"paraphrase"}}  # a verbatim or fuzzy passage: reused words
    return {"recall": tp / max(len(truth), 1), "precision": tp / max(len(pred), 1), "predicted": len(pred),
            "truth": len(truth), "unplanted_paraphrase_only": sum(kinds[p] == ["paraphrase"] for p in pred - truth),
            "copy_precision": len(copied & truth) / max(len(copied), 1), "copy_predicted": len(copied)}


# --- timing in this process -------------------------------------------------------------------


@dataclass(frozen=True)
class Timed:
    """Median wall and CPU (this process) seconds of repeated runs, and the last run's result."""

    wall: float
    cpu: float
    result: Any


def median_time(fn: Callable[[], Any], repeat: int) -> Timed:
    """Run ``fn`` ``repeat`` times; medians, because the machine is shared.

    CPU time of a single-process run hardly moves when other jobs share the machine, so ratios
    of CPU times are the steadier comparison (a pool's workers are not in this process's CPU time).
    """
    walls, cpus, result = [], [], None
    for _ in range(max(1, repeat)):
        t, c = time.perf_counter(), time.process_time()
        result = fn()
        walls.append(time.perf_counter() - t)
        cpus.append(time.process_time() - c)
    return Timed(statistics.median(walls), statistics.median(cpus), result)


def shingle_bytes(texts: list[str]) -> list[list[bytes]]:
    """Word 5-gram shingles as UTF-8 bytes, the input ``MinHash.bulk`` takes (time not counted)."""
    from reuse.text.tokens import tokenize

    out = []
    for t in texts:
        words = tokenize(t).norms
        out.append([" ".join(words[i : i + 5]).encode() for i in range(len(words) - 4)])
    return out


def datasketch_signatures(chunks: Callable[[], Iterable[list[str]]], repeat: int) -> Timed:
    """datasketch ``MinHash.bulk`` (128 permutations, its default hash) over every chunk of texts.

    Shingling is not timed; chunks keep the shingles of only a few thousand texts in memory at
    once (they are ~30 KB an article). The result is the list of MinHash objects.
    """
    from datasketch import MinHash

    def run() -> tuple[float, float, list[Any]]:
        wall = cpu = 0.0
        out: list[Any] = []
        for texts in chunks():
            shingles = shingle_bytes(texts)
            t, c = time.perf_counter(), time.process_time()
            out.extend(MinHash.bulk(shingles, num_perm=128))
            wall += time.perf_counter() - t
            cpu += time.process_time() - c
        return wall, cpu, out

    walls, cpus, mhs = [], [], []
    for _ in range(max(1, repeat)):
        mhs = []  # free the previous run's signatures first
        wall, cpu, mhs = run()
        walls.append(wall)
        cpus.append(cpu)
    return Timed(statistics.median(walls), statistics.median(cpus), mhs)


def datasketch_lsh(mhs: list[Any], repeat: int, **lsh_args: Any) -> Timed:
    """``MinHashLSH`` insert of every MinHash then a query with each; the result is the pair set."""
    from datasketch import MinHashLSH

    def run() -> set[tuple[int, int]]:
        lsh = MinHashLSH(num_perm=128, **lsh_args)
        for k, m in enumerate(mhs):
            lsh.insert(k, m)
        return {(min(k, x), max(k, x)) for k, m in enumerate(mhs) for x in lsh.query(m) if x != k}

    return median_time(run, repeat)


# --- the aligner, per pair ----------------------------------------------------------------------


def align_times(pairs: list[tuple[str, str]], texts: dict[str, str]) -> dict[str, Any]:
    """CPU milliseconds of ``align_documents`` per pair (tokenising is done before timing).

    One pair is aligned untimed first, so compiled kernels are loaded before the clock starts.
    """
    from reuse import Document, ReuseConfig
    from reuse.stages.align.aligner import align_documents as align
    from reuse.text.tokens import tokenize

    config = ReuseConfig()
    docs = {i: (Document(id=i, text=t), tokenize(t)) for i, t in texts.items()}
    ms = []
    for n, (a, b) in enumerate(pairs):
        (da, ta), (db, tb) = docs[a], docs[b]
        c = time.process_time()
        align(da, ta, db, tb, config)
        if n or len(pairs) == 1:
            ms.append(1000 * (time.process_time() - c))
    if not ms:
        return {"pairs": 0}
    q = np.percentile(ms, [50, 90, 99])
    return {"pairs": len(ms), "median": float(q[0]), "p90": float(q[1]), "p99": float(q[2]), "max": max(ms),
            "mean": statistics.mean(ms)}
