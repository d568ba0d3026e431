"""A failure met while a signal stops the command (a worker the stop killed, reported as lost by
a thread the signal did not interrupt) exits with the signal's status, not the failure's."""

from __future__ import annotations

import signal

import pytest

from edition import signals
from edition.cli_support import reports_errors
from edition.diagnostics import EditionError, error


@reports_errors
def _pool_lost_a_worker():
    raise EditionError(error("E176", "a worker process stopped while it made unit 3 of 8 (exit status -15)"))


@pytest.fixture
def stopping(monkeypatch):
    def stop(signum):
        monkeypatch.setattr(signals, "_received", [signum])
    return stop


def test_without_a_signal_the_failure_decides(capsys):
    with pytest.raises(SystemExit) as exit_:
        _pool_lost_a_worker()
    assert exit_.value.code == 1
    assert "error[E176]" in capsys.readouterr().err


def test_sigterm_decides_the_status_of_what_failed_meanwhile(stopping, capsys):
    stopping(signal.SIGTERM)
    with pytest.raises(SystemExit) as exit_:
        _pool_lost_a_worker()
    assert exit_.value.code == 143
    assert "E176" not in capsys.readouterr().err


def test_ctrl_c_decides_the_status_of_what_failed_meanwhile(stopping, capsys):
    stopping(signal.SIGINT)
    with pytest.raises(SystemExit) as exit_:
        _pool_lost_a_worker()
    assert exit_.value.code == 130
    err = capsys.readouterr().err
    assert "E176" not in err and "interrupted" in err
