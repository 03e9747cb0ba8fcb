"""Pausing the cyclic GC around a report's bulk work leaves the collector as it found it."""

import gc

import pytest

from linkwork.bulk import no_cyclic_gc


def test_the_collector_is_paused_inside_and_running_again_after():
    assert gc.isenabled()
    with no_cyclic_gc():
        assert not gc.isenabled()
    assert gc.isenabled()


def test_an_error_inside_still_restarts_the_collector():
    with pytest.raises(ZeroDivisionError), no_cyclic_gc():
        1 / 0  # noqa: B018
    assert gc.isenabled()


def test_a_collector_paused_by_someone_else_stays_paused():
    gc.disable()
    try:
        with no_cyclic_gc():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()
