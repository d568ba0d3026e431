"""Renderers: TEI on disk → the edition's outputs (plain text, HTML, PDF).

Each renderer is registered in ``edition.build.RENDERERS`` as ``(output, "module:function")``.
"""
