"""Allow ``python -m edition``."""

from edition.cli import main

if __name__ == "__main__":   # not again in a worker process of the PDF's piece pool
    main()
