"""Helpers for code that builds tens of thousands of objects at once (reports)."""

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def no_cyclic_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector while a report builds its rows.

    Every few hundred new objects Python runs a cyclic-GC pass, and the older passes walk
    every object the process holds: building 15,000 gap rows or 30,000 evaluation
    episodes spent a quarter to a third of its time there (bench/insight.py,
    bench/evaluation.py). Reference counting still frees everything at once; what is
    made inside must not form reference cycles, or it waits for a later full collection
    (tests check the reports free their objects with the cyclic GC off).
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
