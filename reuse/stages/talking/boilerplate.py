"""What a source is, for boilerplate: the outlet a document belongs to.

A global document-frequency cut (passim's ``maxDF``) removes exactly the phrases a campaign
repeats across outlets. We cut by *source* instead: a line or sentence repeated in several
documents of one source and found in no other source is that source's template (bylines,
navigation, tags, sign-offs) and is ignored (:func:`reuse.stages.talking.units.merge`); a line
found in two sources is kept, however often it occurs. Without source metadata each document is
its own source, so nothing is cut that way.
"""
from __future__ import annotations

from reuse.model import Document


def source_of(doc: Document) -> str:
    """The outlet a document belongs to: its ``source`` field, else the document itself."""
    return doc.source if doc.source else f"doc:{doc.id}"
