"""Datasette metadata for the scan database: what every table, view and column means, plus facets
and canned queries a newsroom would start from.

``reuse scan --db reports/reuse.db`` writes it beside the database as ``reuse.metadata.json``:

    datasette reports/reuse.db -m reports/reuse.metadata.json

Descriptions live here, next to nothing else, so a test can hold them against the schema: every
column of every table and view in :data:`~reuse.index.schema.REPORT_DDL` is described.
"""
from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

RUN = "The run (runs.id) this row belongs to: each `reuse scan --db` appends one run."
SOURCE_RULE = "its source field, or its document id when it has none"

TABLES: dict[str, dict[str, Any]] = {
    "runs": {
        "description": "One row per `reuse scan --db`: when, which version, which inputs and settings, how much it "
                       "found. The views show the latest run; the *_all_runs views every run.",
        "columns": {
            "id": "Run number, rising with each scan.", "started_at": "UTC time the scan started (ISO 8601).",
            "finished_at": "UTC time its results were written.", "reuse_version": "reuse version that ran the scan.",
            "schema_version": "Version of this database schema.",
            "hash_scheme": "MinHash permutation scheme (datasketch affine32).",
            "inputs": "JSON list of the paths scanned.",
            "reference": "JSON list of the --reference paths (compared with the inputs, never with each other).",
            "n_documents": "Documents scanned (references included).", "n_pairs": "Pairs reported in this run.",
            "n_passages": "Passages reported in this run.", "n_clusters": "Talking points found in this run.",
            "n_skipped": "Inputs that could not be read in this run.",
            "config": "All settings of the scan as JSON.", "stats": "Counts and stage timings as JSON.",
        },
        "sort_desc": "id",
        "facets": ["reuse_version"],
    },
    "documents": {
        "description": "Every document of each run, with its text exactly as read (passage offsets index it). "
                       "Full-text search on title and text.",
        "columns": {
            "run_id": RUN,
            "id": "Document id: path relative to the scanned folder, or the id field of a JSONL/CSV record.",
            "title": "Title (from the record, or the HTML <title>).",
            "source": "Outlet or source as given (the views use " + SOURCE_RULE + ").",
            "url": "URL from the record or the page.", "date": "Date from the record or the page, as given.",
            "origin": "File (and line/row) it was read from.", "n_chars": "Length of text in characters.",
            "meta": "Other record fields as JSON.", "text": "The text as read; passages give [start, end) offsets into it.",
        },
        "facets": ["source", "run_id"],
    },
    "pairs": {
        "description": "Document pairs that share text, one row per pair and run, doc_a before doc_b in input order.",
        "columns": {
            "id": "Pair number (unique across runs).", "run_id": RUN,
            "doc_a": "First document (documents.id).", "doc_b": "Second document (documents.id).",
            "score": "Headline score in [0, 1]: how much of the more-reused document lies in shared passages, each "
                     "weighted by how much wording survives (verbatim 1, edited at its share of unchanged words, "
                     "reworded by its similarity above what a shared topic gives), plus at most 0.05 for a shared "
                     "topic. A reworded article can have high coverage and a low score.",
            "tfidf_cosine": "TF-IDF cosine of the two texts (content words): topical closeness.",
            "jaccard": "Exact Jaccard of the two 5-word shingle sets.",
            "containment_a": "Share of doc_a's shingles found in doc_b.", "containment_b": "Share of doc_b's shingles found in doc_a.",
            "n_passages": "Aligned passages (rows in passages).",
            "coverage_a": "Share of doc_a's word characters inside passages, whatever their kind.",
            "coverage_b": "Share of doc_b's word characters inside passages, whatever their kind.",
            "kinds": "JSON list of passage kinds present (verbatim, fuzzy, paraphrase).",
            "top_terms": "JSON list of the terms contributing most to the cosine.",
        },
        "sort_desc": "score",
        "facets": [{"array": "kinds"}, "run_id"],
    },
    "passages": {
        "description": "Aligned shared passages with exact character offsets: text_a = documents.text[a_start:a_end] of doc_a.",
        "columns": {
            "id": "Passage number (unique across runs).", "run_id": RUN, "pair_id": "The pair it belongs to (pairs.id).",
            "doc_a": "Document A (documents.id).", "a_start": "Start offset in doc_a's text (characters).",
            "a_end": "End offset in doc_a's text (exclusive).", "doc_b": "Document B (documents.id).",
            "b_start": "Start offset in doc_b's text.", "b_end": "End offset in doc_b's text (exclusive).",
            "kind": "verbatim (identical words), fuzzy (edited) or paraphrase (the same claim in other words).",
            "score": "Similarity of the two sides in [0, 1]; 1.0 for verbatim.",
            "text_a": "The passage as it reads in doc_a.", "text_b": "The passage as it reads in doc_b.",
            "matched_words": "Words matched exactly (the smaller side).",
            "shared_terms": "JSON list of shared content words (paraphrases).",
        },
        "sort_desc": "matched_words",
        "facets": ["kind", "run_id"],
    },
    "clusters": {
        "description": "Talking points: overlapping passages joined across two or more documents.",
        "columns": {
            "id": "Cluster row (unique across runs).", "run_id": RUN,
            "number": "Its number within the run (1 = most widespread), as in clusters.jsonl.",
            "label": "Its most representative sentence.",
            "n_members": "Passages in the cluster (rows in cluster_members).", "n_sources": "Distinct sources.",
            "sources": "JSON list of distinct sources (" + SOURCE_RULE + ").",
            "first_seen": "Earliest member date, when dates are known.", "last_seen": "Latest member date.",
            "kinds": "JSON list of passage kinds in the cluster.", "shared_terms": "JSON list of terms the members share.",
        },
        "sort_desc": "n_sources",
        "facets": ["n_sources", {"array": "kinds"}],
    },
    "cluster_members": {
        "description": "One document's passage inside a talking-point cluster.",
        "columns": {
            "cluster_id": "The cluster (clusters.id).", "run_id": RUN, "doc": "The document (documents.id).",
            "start": "Start offset in the document's text.", "end": "End offset (exclusive).",
            "text": "The passage text.", "source": "The document's source as given.", "date": "The document's date.",
        },
        "facets": ["source"],
    },
    "skipped": {
        "description": "Every input that was not processed, and why.",
        "columns": {"id": "Row number.", "run_id": RUN, "source": "File, or file:line / file:row.",
                    "doc_id": "Document id when known.", "reason": "Why it was skipped."},
        "facets": ["run_id"],
    },
    "meta": {
        "description": "What this file is: kind (reuse-report), schema_version, reuse_version.",
        "columns": {"key": "Setting name.", "value": "Its value."},
    },
}

_SIDE = {
    "title_a": "Title of doc_a.", "title_b": "Title of doc_b.",
    "source_a": "Source of doc_a: " + SOURCE_RULE + ".", "source_b": "Source of doc_b: " + SOURCE_RULE + ".",
    "url_a": "URL of doc_a.", "url_b": "URL of doc_b.",
}

VIEWS: dict[str, tuple[str, dict[str, str]]] = {
    "top_pairs": ("Pairs best first, with both documents' titles, sources and URLs.", {
        "pair_id": "The pair (pairs.id).", **{k: v for k, v in TABLES["pairs"]["columns"].items() if k != "id"}, **_SIDE,
    }),
    "source_reuse": ("Per (source_a, source_b): pairs sharing passages, passages, mean and max score. Who reuses whom.", {
        "run_id": RUN, "source_a": _SIDE["source_a"], "source_b": _SIDE["source_b"],
        "n_pairs": "Pairs of these sources sharing at least one passage.", "n_passages": "Passages they share.",
        "mean_score": "Mean pair score.", "max_score": "Best pair score.",
    }),
    "document_reuse": ("Per document: partners it shares passages with, passages, best score.", {
        "run_id": RUN, "doc": "The document (documents.id).", "title": "Its title.",
        "source": "Its source: " + SOURCE_RULE + ".", "url": "Its URL.", "date": "Its date.",
        "n_partners": "Documents it shares passages with.", "n_passages": "Passages it shares.",
        "max_score": "Best score of its pairs.",
    }),
    "passage_details": ("Passages with both documents' titles, sources and URLs, longest first.", {
        "passage_id": "The passage (passages.id).",
        **{k: v for k, v in TABLES["passages"]["columns"].items() if k != "id"}, **_SIDE,
    }),
}

QUERIES: dict[str, dict[str, str]] = {
    "talking_points_this_week": {
        "title": "Top reused talking points this week",
        "description": "Claims of the latest run seen in the last 7 days, carried by the most sources first.",
        "sql": "SELECT number, label, n_sources, n_members, first_seen, last_seen, sources, kinds\n"
               "FROM clusters\nWHERE run_id = (SELECT MAX(id) FROM runs) AND last_seen >= date('now', '-7 days')\n"
               "ORDER BY n_sources DESC, n_members DESC, number\nLIMIT 100",
    },
    "echoing_sources": {
        "title": "Sources that echo one another most",
        "description": "Pairs of different sources of the latest run by the passages they share (in either "
                       "direction), with the pairs of articles behind them.",
        "sql": "SELECT MIN(source_a, source_b) AS source_1, MAX(source_a, source_b) AS source_2,\n"
               "       SUM(n_passages) AS n_passages, SUM(n_pairs) AS n_pairs, MAX(max_score) AS max_score\n"
               "FROM source_reuse\nWHERE source_a != source_b\nGROUP BY 1, 2\n"
               "ORDER BY n_passages DESC, max_score DESC\nLIMIT 100",
    },
    "who_said_it_first": {
        "title": "Who said it first",
        "description": "For each talking point of the latest run, the earliest dated member and its source.",
        "sql": "SELECT c.number, c.label, c.n_sources, m.source AS first_source, m.doc AS first_doc, m.date AS first_date\n"
               "FROM clusters c JOIN cluster_members m ON m.cluster_id = c.id\n"
               "WHERE c.run_id = (SELECT MAX(id) FROM runs) AND m.date IS NOT NULL\n"
               "  AND m.date = (SELECT MIN(date) FROM cluster_members WHERE cluster_id = c.id AND date IS NOT NULL)\n"
               "GROUP BY c.id ORDER BY c.n_sources DESC, c.number",
    },
    "reuse_over_time": {
        "title": "Reuse over time",
        "description": "Every run with what it found: how reuse grows from scan to scan.",
        "sql": "SELECT id AS run_id, started_at, n_documents, n_pairs, n_passages, n_clusters, n_skipped, inputs\n"
               "FROM runs ORDER BY id",
    },
}


def metadata_path(db_path: str | Path) -> Path:
    """Where the Datasette metadata of ``db_path`` is written: ``reuse.db`` -> ``reuse.metadata.json``."""
    db_path = Path(db_path)
    return db_path.with_name(f"{db_path.stem}.metadata.json")


def datasette_metadata(db_path: str | Path) -> dict[str, Any]:
    """Datasette ``metadata.json`` content: descriptions of every table, view and column, facets,
    default sorts, full-text search and canned queries, for the database named by ``db_path``."""
    tables = copy.deepcopy(TABLES)
    tables["documents"]["fts_table"] = "documents_fts"
    tables["documents"]["searchable_columns"] = ["title", "text"]
    tables["documents_fts"] = {"hidden": True}
    for name, (what, columns) in VIEWS.items():
        tables[name] = {"description": f"View of the latest run: {what}", "columns": columns}
        tables[f"{name}_all_runs"] = {"description": f"View of every run: {what}", "columns": {"run_id": RUN, **columns},
                                      "facets": ["run_id"]}
    return {
        "title": "reuse: shared text between documents",
        "description": "Pairs of documents that share text, the passages they share (exact offsets), talking points "
                       "and skipped inputs, one run per scan. Start with top_pairs, source_reuse or the queries below.",
        "databases": {Path(db_path).stem: {"tables": tables, "queries": copy.deepcopy(QUERIES)}},
    }
