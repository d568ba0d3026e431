"""The ``edition`` command (``python -m edition`` and the installed script both start here)."""


def run() -> None:
    """Ctrl-C and SIGTERM exit 130/143 from the start, not only once a command has imported what
    it needs (edition.signals: a signal during those imports found Python's default actions)."""
    import sys

    from edition.signals import exit_on_signals

    exit_on_signals()
    try:
        from edition.cli import main
    except KeyboardInterrupt:   # Ctrl-C before the command's own error handling is there
        sys.exit(130)
    main()


if __name__ == "__main__":   # not again in a worker process of the PDF's piece pool
    run()
