"""Loaded by scripts/api-contract.sh through SCHEMATHESIS_HOOKS.

CPython 3.11 can raise "SystemError: AST constructor recursion depth mismatch" when Hypothesis parses a lambda's
source to describe a filtered strategy deep in a call stack (only to build the strategy's repr). The description is
for display only: on that error Hypothesis gets a plain one instead of stopping the run.
"""

import hypothesis.strategies._internal.lazy as lazy

_describe = lazy.get_pretty_function_description


def _safe_description(function):
    try:
        return _describe(function)
    except SystemError:
        return getattr(function, "__name__", "<lambda>")


lazy.get_pretty_function_description = _safe_description
