#!/usr/bin/env python3
"""Write fcnn's sample data sets as plain CSV files with a header row.

    python scripts/make_sample_data.py path/to/scikit_learn-1.1.3-....whl [--out static/data]

The source is the scikit-learn 1.1.3 wheel (BSD-3-Clause), which still ships
the classic data files under ``sklearn/datasets/data/``. Get it with
``pip download --no-deps scikit-learn==1.1.3 -d /tmp/skl``. Numbers are
copied as they appear in the source text (no float round trip), except the
diabetes target, stored there as ``1.510000000000000000e+02`` and written as
the integer it is (``151``). See ``static/data/README.md`` for sources,
licences and the ethical note on the Boston data.

Standard library only.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import io
import sys
import zipfile
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = "sklearn/datasets/data/"
EXPECTED_SKLEARN = "1.1.3"
LICENCE_PATH = f"scikit_learn-{EXPECTED_SKLEARN}.dist-info/COPYING"

IRIS_FEATURES = ["sepal_length", "sepal_width", "petal_length", "petal_width"]

# sklearn.datasets.load_wine().feature_names
WINE_FEATURES = [
    "alcohol",
    "malic_acid",
    "ash",
    "alcalinity_of_ash",
    "magnesium",
    "total_phenols",
    "flavanoids",
    "nonflavanoid_phenols",
    "proanthocyanins",
    "color_intensity",
    "hue",
    "od280/od315_of_diluted_wines",
    "proline",
]

# sklearn.datasets.load_breast_cancer().feature_names
_BC_MEASURES = [
    "radius",
    "texture",
    "perimeter",
    "area",
    "smoothness",
    "compactness",
    "concavity",
    "concave points",
    "symmetry",
    "fractal dimension",
]
BREAST_CANCER_FEATURES = (
    [f"mean {m}" for m in _BC_MEASURES]
    + [f"{m} error" for m in _BC_MEASURES]
    + [f"worst {m}" for m in _BC_MEASURES]
)

# sklearn.datasets.load_diabetes().feature_names
DIABETES_FEATURES = ["age", "sex", "bmi", "bp", "s1", "s2", "s3", "s4", "s5", "s6"]

BOSTON_COLUMNS = [
    "CRIM", "ZN", "INDUS", "CHAS", "NOX", "RM", "AGE",
    "DIS", "RAD", "TAX", "PTRATIO", "B", "LSTAT", "MEDV",
]


class DataError(Exception):
    pass


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _check_numeric(rows: list[list[str]], name: str, upto: int) -> None:
    for i, row in enumerate(rows, 1):
        for cell in row[:upto]:
            if not _is_number(cell):
                raise DataError(f"{name}: row {i}: {cell!r} is not a number")


def _read(whl: zipfile.ZipFile, name: str) -> str:
    try:
        raw = whl.read(DATA_DIR + name)
    except KeyError:
        raise DataError(f"{DATA_DIR}{name} is not in the wheel") from None
    if name.endswith(".gz"):
        raw = gzip.decompress(raw)
    return raw.decode("utf-8")


def _csv_rows(text: str) -> list[list[str]]:
    return [row for row in csv.reader(io.StringIO(text)) if row]


def labelled_csv(
    whl: zipfile.ZipFile, name: str, features: list[str], target: str
) -> tuple[list[str], list[list[str]]]:
    """sklearn's load_csv_data format: ``n_samples,n_features,label0,label1,...``
    on the first line, then the data with an integer class in the last column."""
    rows = _csv_rows(_read(whl, name))
    head, body = rows[0], rows[1:]
    n_samples, n_features = int(head[0]), int(head[1])
    labels = [h for h in head[2:] if h]
    if n_features != len(features):
        raise DataError(f"{name}: {n_features} features, expected {len(features)}")
    if len(body) != n_samples:
        raise DataError(f"{name}: {len(body)} rows, header says {n_samples}")
    out = []
    for i, row in enumerate(body, 1):
        if len(row) != n_features + 1:
            raise DataError(f"{name}: row {i} has {len(row)} fields")
        out.append(row[:n_features] + [labels[int(row[n_features])]])
    _check_numeric(out, name, n_features)
    return features + [target], out


def boston(whl: zipfile.ZipFile) -> tuple[list[str], list[list[str]]]:
    rows = _csv_rows(_read(whl, "boston_house_prices.csv"))
    count, header, body = rows[0], rows[1], rows[2:]
    n_samples, n_features = int(count[0]), int(count[1])
    if header != BOSTON_COLUMNS or n_features != len(header) - 1:
        raise DataError(f"boston_house_prices.csv: unexpected columns {header}")
    if len(body) != n_samples:
        raise DataError(f"boston_house_prices.csv: {len(body)} rows, header says {n_samples}")
    for i, row in enumerate(body, 1):
        if len(row) != len(header):
            raise DataError(f"boston_house_prices.csv: row {i} has {len(row)} fields")
    _check_numeric(body, "boston_house_prices.csv", len(header))
    return header, body


def diabetes(whl: zipfile.ZipFile) -> tuple[list[str], list[list[str]]]:
    # diabetes_data_raw.csv.gz is separated by single spaces, not commas.
    data = [line.split() for line in _read(whl, "diabetes_data_raw.csv.gz").splitlines() if line.strip()]
    target = [line.strip() for line in _read(whl, "diabetes_target.csv.gz").splitlines() if line.strip()]
    if len(data) != len(target):
        raise DataError(f"diabetes: {len(data)} data rows but {len(target)} targets")
    out = []
    for i, (row, y) in enumerate(zip(data, target), 1):
        if len(row) != len(DIABETES_FEATURES):
            raise DataError(f"diabetes_data_raw: row {i} has {len(row)} fields")
        value = float(y)
        if not value.is_integer():
            raise DataError(f"diabetes_target: row {i}: {y!r} is not a whole number")
        out.append(row + [str(int(value))])
    _check_numeric(out, "diabetes", len(DIABETES_FEATURES) + 1)
    return DIABETES_FEATURES + ["progression"], out


def check_names_against_source(whl: zipfile.ZipFile) -> None:
    """The hard-coded feature names must appear in the wheel's own loader code."""
    src = whl.read("sklearn/datasets/_base.py").decode("utf-8")
    for name in WINE_FEATURES + BREAST_CANCER_FEATURES + DIABETES_FEATURES:
        if f'"{name}"' not in src:
            raise DataError(f"feature name {name!r} not found in sklearn/datasets/_base.py")


def sklearn_version(whl: zipfile.ZipFile) -> str:
    for n in whl.namelist():
        if n.endswith(".dist-info/METADATA"):
            for line in whl.read(n).decode("utf-8").splitlines():
                if line.startswith("Version:"):
                    return line.split(":", 1)[1].strip()
    return "?"


def write_csv(path: Path, header: list[str], rows: list[list[str]]) -> None:
    tmp = path.with_suffix(path.suffix + ".tmp")
    with open(tmp, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(header)
        w.writerows(rows)
    tmp.replace(path)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Convert scikit-learn 1.1.3's data files to CSV.")
    ap.add_argument("wheel", type=Path, help="scikit_learn-1.1.3-*.whl")
    ap.add_argument("--out", type=Path, default=REPO_ROOT / "static" / "data")
    args = ap.parse_args(argv)
    try:
        with zipfile.ZipFile(args.wheel) as whl:
            version = sklearn_version(whl)
            if version != EXPECTED_SKLEARN:
                raise DataError(f"wheel is scikit-learn {version}, expected {EXPECTED_SKLEARN}")
            check_names_against_source(whl)
            licence_text = whl.read(LICENCE_PATH).decode("utf-8")
            sets = {
                "boston.csv": boston(whl),
                "iris.csv": labelled_csv(whl, "iris.csv", IRIS_FEATURES, "species"),
                "wine.csv": labelled_csv(whl, "wine_data.csv", WINE_FEATURES, "class"),
                "breast_cancer.csv": labelled_csv(
                    whl, "breast_cancer.csv", BREAST_CANCER_FEATURES, "diagnosis"
                ),
                "diabetes.csv": diabetes(whl),
            }
    except (DataError, zipfile.BadZipFile, FileNotFoundError) as e:
        print(f"error: {e}", file=sys.stderr)
        return 1
    args.out.mkdir(parents=True, exist_ok=True)
    for name, (header, rows) in sets.items():
        write_csv(args.out / name, header, rows)
        print(f"{args.out / name}: {len(rows)} rows x {len(header)} columns (target {header[-1]})")
    # BSD-3-Clause: keep scikit-learn's notice with the redistributed files.
    (args.out / "LICENSE-scikit-learn.txt").write_text(licence_text)
    print(f"{args.out / 'LICENSE-scikit-learn.txt'}: from {LICENCE_PATH}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
