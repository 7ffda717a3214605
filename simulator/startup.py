"""How a `ttx` process runs Python's cyclic garbage collector while it starts.

Starting, ttx builds some 20,000 objects that live until it exits: modules, the model's classes and the methods
attrs writes for them, the YAML and cattrs machinery, the scenario, the widgets. A pass of the collector then only
walks them again (about a tenth of `ttx play`'s time to its first frame: bench/stages.py), so it is paused while
ttx starts. Once started, those objects are set aside for good (`gc.freeze`) so that no later pass walks them
either, and the collector runs as usual on what the command builds from then on.
"""

from __future__ import annotations

import gc


def pause() -> None:
    gc.disable()


def resume() -> None:
    """The start is over: keep what it built out of every later pass, and collect again. Nothing if not paused
    (tests, and a library caller, run with the collector as they set it)."""
    if not gc.isenabled():
        gc.freeze()  # also empties the youngest generation: no pass over everything the start allocated
        gc.enable()
