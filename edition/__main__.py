"""Allow ``python -m edition``."""

from edition.cli import main

main()
