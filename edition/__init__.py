"""edition: build digital critical editions from witnesses and TEI.

The pipeline: witness text → ``ingest``/``collate`` → TEI on disk (``tei/``) →
``validate`` → ``render`` (text, HTML, PDF). Each stage is a subpackage or module
whose docstring says what goes in and what comes out.
"""

__version__ = "0.1.0"
