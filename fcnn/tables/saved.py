"""What every saved part (feature pipeline, target encoder) shares: its format
header and the message for a saved file that is not valid."""

from __future__ import annotations

import math
from collections.abc import Mapping

from ..errors import DataError

FORMAT_VERSION = 1


def invalid(what, thing):
    return DataError(f"the saved {thing} is not valid: {what}; train the model again and save it anew")


def check_saved_header(saved, expected_format, thing):
    """The checks every saved part starts with: a dict, of the right format and version."""
    if not isinstance(saved, Mapping):
        raise invalid(f"it is a {type(saved).__name__}, not a dict", thing)
    if saved.get("format") != expected_format:
        raise invalid(f"its 'format' is not {expected_format!r}", thing)
    if saved.get("version") != FORMAT_VERSION:
        raise invalid(f"its version is {saved.get('version')!r}, this fcnn reads version {FORMAT_VERSION}", thing)


def finite_number(value):
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)
