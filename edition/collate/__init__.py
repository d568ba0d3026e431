"""Collation: several witnesses of one text → one TEI file with a typed critical apparatus.

In: the witnesses configured for a text in ``edition.toml`` (sigla, files, base text) and the
rules: the general ones (packaged ``edition/data/collation.toml``, overridden key by key by a
project's ``rules/collation.toml``) and ``rules/<id>.toml`` for the text. Out:
``tei/<id>.xml`` in parallel segmentation, ``build/reports/<id>.variants.tsv`` and
``<id>.structure.tsv``.

Stages, one module each: ``witness`` (tokens, paratext; blocks by ``structure``) → ``align``
(columns) → ``units`` (variation units, typed by ``classify`` with ``normalise``; events laid
out by ``layout``; the data types in ``model``) → ``transpose`` (moved phrases) →
``teiwriter``.
The reverse, every witness's text rebuilt from the TEI alone, is ``edition.tei.witnesses``.
"""

from edition.collate.run import run_collate

__all__ = ["run_collate"]
