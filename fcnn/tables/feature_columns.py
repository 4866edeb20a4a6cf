"""One feature column's encoding, fitted on a typed ``Column``'s training rows:
a numeric column scaled, a text column one-hot encoded. ``FeaturePipeline``
(features.py) holds one per feature; each saves to a dict and loads back.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from ..errors import DataError
from .cells import label_sort_key, preview
from .saved import finite_number, invalid
from .scalers import refuse_huge

# A text column with more values than this would add as many network inputs;
# it is more likely an id or free text than a category.
MAX_CATEGORIES = 100


@dataclass
class NumericFeature:
    """x' = (x − offset) / scale, a missing x taken as ``fill`` (the training median)."""

    name: str
    fill: float
    offset: float
    scale: float

    kind = "numeric"

    @property
    def output_names(self):
        return [self.name]

    def to_dict(self):
        return {"name": self.name, "kind": "numeric", "fill": self.fill, "offset": self.offset, "scale": self.scale}

    def transform(self, column, rows, drop):
        """The rows ``rows`` of ``column`` as this feature's one output, shape (n,).

        A text cell raises DataError naming it; with ``drop``, so does a missing cell.
        """
        values = column.numbers[rows]
        holes = np.isnan(values)
        missing = holes if column.numeric else column.missing[rows]
        problems = missing.copy() if drop else np.zeros(len(values), dtype=bool)
        if not column.numeric:
            problems |= holes & ~missing
        if problems.any():
            refuse_cell(column, int(rows[int(np.argmax(problems))]), drop)
        refuse_huge(f"column {self.name!r}", values, lambda k: column.where(int(rows[k])))
        values[holes] = self.fill
        np.subtract(values, self.offset, out=values)
        return np.divide(values, self.scale, out=values)


@dataclass
class CategoricalFeature:
    """One 0/1 output per training category; a missing cell counts as ``fill``
    (the most frequent training value); an unseen value gives all zeros."""

    name: str
    fill: str
    categories: list

    kind = "categorical"

    @property
    def output_names(self):
        return [f"{self.name}={category}" for category in self.categories]

    def to_dict(self):
        return {"name": self.name, "kind": "categorical", "fill": self.fill, "categories": list(self.categories)}

    def transform(self, column, rows, drop, out):
        """Set the 1s of the rows ``rows`` of ``column`` in ``out`` (n × len(categories), zeros)."""
        codes = column.codes[rows]
        if drop and (codes < 0).any():
            refuse_cell(column, int(rows[int(np.argmax(codes < 0))]), drop)
        slot = {category: j for j, category in enumerate(self.categories)}
        # a code per distinct label, and the last entry for code -1: a missing cell is the fill
        slots = np.array([slot.get(label, -1) for label in column.labels] + [slot[self.fill]], dtype=np.int64)
        picked = slots[codes]
        hit = np.flatnonzero(picked >= 0)  # an unseen category leaves all its outputs at 0
        out[hit, picked[hit]] = 1.0


def refuse_cell(column, k, drop):
    """Raise the DataError for cell ``k`` of ``column``, a numeric feature: text, or missing under ``drop``."""
    if drop and column.missing[k]:
        raise DataError(
            f"column {column.name!r} has no value {column.where(k)}; this model was trained with "
            "missing='drop', so every feature needs a value: fill it in"
        )
    cell = column.cells[k]
    if isinstance(cell, str):
        what = f"the text {preview(cell.strip())}"
    elif isinstance(cell, (int, float, np.integer, np.floating)) and not isinstance(cell, (bool, np.bool_)):
        what = f"{cell!r}, which is not a finite number"
    else:
        what = f"the value {preview(cell)}"
    raise DataError(
        f"column {column.name!r} holds {what} {column.where(k)}, but it is a numeric column; "
        "write a number there, or leave the cell empty to mark it missing"
    )


def fit_numeric(name, column, rows, scaling):
    """(NumericFeature, missing cells, constant) fitted on the rows ``rows``; the feature is None
    when they have no value, constant says they hold one value."""
    values = column.numbers[rows]
    if not column.numeric:
        texts = np.isnan(values) & ~column.missing[rows]
        if texts.any():
            refuse_cell(column, int(rows[int(np.argmax(texts))]), drop=False)
    refuse_huge(f"column {name!r}", values, lambda k: column.where(int(rows[k])))
    present = values[~np.isnan(values)]
    n_missing = len(values) - len(present)
    if not len(present):
        return None, n_missing, False
    fill = float(np.median(present))
    # the spread is measured on what the network will see: filled-in cells included
    filled = np.concatenate([present, np.full(n_missing, fill)])
    if scaling == "standard":
        offset, spread = float(filled.mean()), float(filled.std())
    elif scaling == "minmax":
        offset, spread = float(filled.min()), float(filled.max() - filled.min())
    else:
        offset, spread = 0.0, 1.0
    # zero spread (a constant column) would divide by zero: divide by 1
    scale = spread if spread > 0 and math.isfinite(spread) else 1.0
    return NumericFeature(name, fill, offset, scale), n_missing, bool(present.min() == present.max())


def fit_categorical(name, column, rows):
    """(CategoricalFeature, missing cells, constant), as fit_numeric."""
    codes = column.codes[rows]
    present = codes[codes >= 0]
    n_missing = len(codes) - len(present)
    if not len(present):
        return None, n_missing, False
    counts = np.bincount(present.astype(np.intp, copy=False), minlength=len(column.labels))
    count_of = {label: int(count) for label, count in zip(column.labels, counts) if count}
    categories = sorted(count_of, key=label_sort_key)
    if len(categories) > MAX_CATEGORIES:
        raise DataError(
            f"column {name!r} holds {len(categories)} different text values in the training rows, too many "
            f"to encode (at most {MAX_CATEGORIES}); it looks like an id or free text, so leave it out of the features"
        )
    most = max(count_of.values())
    fill = next(category for category in categories if count_of[category] == most)
    return CategoricalFeature(name, fill, categories), n_missing, len(categories) == 1


def feature_from_dict(entry, k, thing):
    """A NumericFeature or CategoricalFeature from its ``to_dict()``; DataError if malformed."""
    where = f"columns[{k}]"
    if not isinstance(entry, Mapping):
        raise invalid(f"{where} is not a dict", thing)
    name, kind = entry.get("name"), entry.get("kind")
    if not isinstance(name, str) or not name:
        raise invalid(f"{where} has no 'name'", thing)
    if kind == "numeric":
        for key in ("fill", "offset", "scale"):
            if not finite_number(entry.get(key)):
                raise invalid(f"{where} ({name!r}) needs a finite number '{key}'", thing)
        if entry["scale"] <= 0:
            raise invalid(f"{where} ({name!r}) has 'scale' {entry['scale']!r}; it must be above 0", thing)
        return NumericFeature(name, float(entry["fill"]), float(entry["offset"]), float(entry["scale"]))
    if kind == "categorical":
        categories = entry.get("categories")
        if not isinstance(categories, list) or not categories or not all(isinstance(c, str) for c in categories):
            raise invalid(f"{where} ({name!r}) needs 'categories', a non-empty list of text", thing)
        if len(set(categories)) != len(categories):
            raise invalid(f"{where} ({name!r}) lists a category twice", thing)
        if entry.get("fill") not in categories:
            raise invalid(f"{where} ({name!r}) has a 'fill' that is not one of its categories", thing)
        return CategoricalFeature(name, entry["fill"], list(categories))
    raise invalid(f"{where} has kind {kind!r}, not 'numeric' or 'categorical'", thing)
