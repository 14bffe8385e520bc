"""PAN detection/case XML: one ``<document>`` per pair, one ``<feature>`` per passage."""
from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterable
from pathlib import Path
from xml.sax.saxutils import quoteattr

from reuse.errors import InputError
from reuse.eval.pan.measures import Annotation

DETECTION = "detected-plagiarism"


def detection_xml(this_reference: str, detections: Iterable[Annotation]) -> str:
    """The XML PAN expects from a system for one pair."""
    lines = [f"<document reference={quoteattr(this_reference)}>"]
    for d in detections:
        lines.append(
            f'<feature name="{DETECTION}" this_offset="{d.this_offset}" this_length="{d.this_length}" '
            f"source_reference={quoteattr(d.source_reference)} "
            f'source_offset="{d.source_offset}" source_length="{d.source_length}"/>'
        )
    lines.append("</document>")
    return "\n".join(lines) + "\n"


def write_detections(path: Path, this_reference: str, detections: Iterable[Annotation]) -> None:
    path.write_text(detection_xml(this_reference, detections), encoding="utf-8")


def read_annotations(path: Path, *, name: str) -> list[Annotation]:
    """The ``<feature name=NAME>`` elements of one PAN XML file (``plagiarism`` or ``detected-plagiarism``)."""
    try:
        root = ET.parse(path).getroot()
    except ET.ParseError as exc:
        line = exc.position[0] if exc.position else 1
        raise InputError(f"{path}:{line}: malformed XML: {exc}") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc.strerror or exc}") from None
    this_reference = root.get("reference")
    if this_reference is None:
        raise InputError(f"{path}:1: <document> has no 'reference' attribute")
    out = []
    for feature in root.iter("feature"):
        if feature.get("name") != name:
            continue
        try:
            out.append(Annotation(
                this_reference, int(feature.get("this_offset", "")), int(feature.get("this_length", "")),
                feature.get("source_reference", ""), int(feature.get("source_offset", "")),
                int(feature.get("source_length", "")),
            ))
        except ValueError:
            raise InputError(f"{path}: <feature name={name!r}> lacks a whole-number offset or length") from None
    return out
