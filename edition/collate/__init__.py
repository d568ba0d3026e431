"""Collation: several witnesses of one text → one TEI file with a typed critical apparatus.

In: the witnesses configured for a text in ``edition.toml`` (sigla, files, base text) and the
rules in ``rules/`` (``collation.toml`` for everyone, ``<id>.toml`` for the text). Out:
``tei/<id>.xml`` in parallel segmentation and ``build/reports/<id>.variants.tsv``.

Stages, one module each: ``witness`` (tokens, paratext, blocks) → ``align`` (columns) →
``units`` (variation units, typed by ``classify`` with ``normalise``) → ``teiwriter``.
The reverse, every witness's text rebuilt from the TEI alone, is ``edition.tei.witnesses``.
"""

from edition.collate.run import run_collate

__all__ = ["run_collate"]
