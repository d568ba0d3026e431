"""Scholarly citation: one passage id in every output, ``edition cite``, ``edition resolve``, DTS.

In: the edition's TEI (its ``refsDecl/citeStructure``, or plain ``xml:id``s in an editor's own
TEI), the project settings (``[edition] base_url``) and the built outputs under ``build/``.
Out: the list of citable passages of a text (``refs``), formatted citations through CSL styles
(``cite``), where a passage stands in each output (``resolve``) and a static Distributed Text
Services API in ``build/html/dts/`` (``dts``).

A reference is ``<text id>`` or ``<text id>:<passage>`` (``my-text:q12.p3``);
the passage is the same string as the HTML anchor, the PDF named destination and the marker
``{#q12.p3}`` in the plain text.
"""
