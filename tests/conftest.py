"""Shared test configuration.

Under CI (the `CI` environment variable, which `.ci/run`'s callers set) Hypothesis runs derandomized:
the same examples every run, so a submission lands or fails on its own merits rather than on the
draw. Locally the draws stay random, so the properties keep exploring; a failure found there is
reproduced with the seed Hypothesis prints.
"""

import os

from hypothesis import settings

settings.register_profile("ci", derandomize=True, database=None)
if os.environ.get("CI"):
    settings.load_profile("ci")
