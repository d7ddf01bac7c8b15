"""Compatibility module: the law catalogue now lives in :mod:`citywatch.foi.laws` (its schema in
``citywatch.foi.laws.schema``, its data in one module per jurisdiction). Import from there;
this module re-exports the same names for code written before the split."""

from __future__ import annotations

from citywatch.foi.laws import *  # noqa: F403
from citywatch.foi.laws import __all__  # noqa: F401
