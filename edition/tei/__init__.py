"""The shared TEI layer: everything that knows TEI and is used by more than one stage.

In: TEI files on disk (ours or an editor's). Out: parsed trees and the facts every stage reads
from them. No module here imports a wing (ingest, collate, validate, render, citation) or the
build; the wings and the outputs all read TEI through this layer, so that a rule fixed here
holds in every output at once.

- ``xmlio``       safe parsing and deterministic writing; namespaces; ``local_name``
- ``maker``       building TEI trees (``E``), indentation that never touches mixed content
- ``header``      the ``teiHeader`` the tools write
- ``document``    a parsed TEI file with its id and header facts (``Document``)
- ``vocabulary``  the one element vocabulary: what is text, omitted, a note, a break, an apparatus
- ``spacing``     which white space is text (element-only content, ``break="no"``), the base reading
- ``text``        plain text of an element, pointers and sigla
- ``witnesses``   the declared witnesses, their sigla (as declared) and descriptions, each witness's text
- ``lineview``    a single-witness text regenerated line by line (the "nothing lost" check)
- ``written``     the TEI files ingest and collate write, guarded against overwriting an editor's edits
"""
