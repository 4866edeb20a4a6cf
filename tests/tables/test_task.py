"""The task a target calls for: detected, or chosen and checked."""

import pytest

from fcnn.errors import ConfigError, DataError
from fcnn.tables.columns import infer_column, infer_columns
from fcnn.tables.table import read_csv_text
from fcnn.tables.task import detect_task, resolve_task


def target_info(values, name="y"):
    text = name + "\n" + "\n".join(values) + "\n"
    return infer_column(read_csv_text(text, header=True), name)


def test_detect_task():
    assert detect_task(target_info(["1.5", "2.25", "3"] * 10)) == "regression"
    assert detect_task(target_info(["yes", "no", "yes"])) == "binary"
    assert detect_task(target_info(["a", "b", "c", "a"])) == "multiclass"
    # whole numbers with two values: binary however few the rows
    assert detect_task(target_info(["0", "1", "1"])) == "binary"
    # three whole-number values over 60 rows (≤ 5%): classes
    assert detect_task(target_info(["0", "1", "2"] * 20)) == "multiclass"
    # the same three values over 30 rows (10%): a quantity
    assert detect_task(target_info(["0", "1", "2"] * 10)) == "regression"
    # eleven whole-number values are too many for classes even over many rows
    assert detect_task(target_info([str(i) for i in range(11)] * 30)) == "regression"
    # non-integers are never classes
    assert detect_task(target_info(["0.5", "1.5"] * 50)) == "regression"


@pytest.mark.parametrize(
    "values, fragment",
    [
        (["a", "a", "NA"], "only one class, 'a'; choose another column or add rows of other classes"),
        (["3", "3.0"], "the same number in every row"),
        (["", "NA"], "has no values"),
        ([f"id{i}" for i in range(150)], "too many to be classes"),
    ],
)
def test_detect_task_refuses_a_useless_target(values, fragment):
    with pytest.raises(DataError) as info:
        detect_task(target_info(values))
    assert fragment in str(info.value)


def test_resolve_task():
    table = read_csv_text("n,t,f\n1,a,0.5\n2,b,1.5\n1,a,2.5\n")
    infos = {info.name: info for info in infer_columns(table)}
    assert resolve_task(None, infos["n"]) == "binary"
    assert resolve_task("regression", infos["n"]) == "regression"
    assert resolve_task("classification", infos["t"]) == "binary"
    assert resolve_task("multiclass", infos["t"]) == "multiclass"
    assert resolve_task("classification", infos["f"]) == "multiclass"
    with pytest.raises(DataError, match="3 classes, not 2"):
        resolve_task("binary", infos["f"])
    with pytest.raises(ConfigError, match="task 'clustering'"):
        resolve_task("clustering", infos["n"])
