"""The browser bench's pure helpers (scripts/bench_support.py): how it splits a page's training time,
matches answers to calls, and which settings it means. No browser here."""

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts"))

from bench_support import (SEED_CLI, SEED_SETTINGS, engine_ms_per_call, long_tasks_within,  # noqa: E402
                           medians_and_ratios, settings_mismatches, time_breakdown, write_csv)
from fcnn.cli import _config, build_parser  # noqa: E402
from fcnn.tables import read_csv_text  # noqa: E402

# a run on the page's clock: Train at 100, start 100–110, slice 112–132 (engine 15), network_view
# 134–140 between the slices, slice 145–165 (engine 18), done at 170; a call before and one after
MEASURES = [("grid", 50.0, 5.0), ("start", 100.0, 10.0), ("train_for", 112.0, 20.0), ("network_view", 134.0, 6.0),
            ("train_for", 145.0, 20.0), ("results", 171.0, 3.0)]
ANSWERS = [(132.0, 15.0), (165.2, 18.0)]


def test_each_call_takes_the_first_answer_read_after_it_ended():
    calls = [(145.0, 20.0), (112.0, 20.0), (200.0, 5.0)]
    assert engine_ms_per_call(calls, [(165.5, 18.0), (90.0, 1.0), (132.1, 15.0)]) == [15.0, 18.0, None]
    # an answer read before a call ended is not that call's
    assert engine_ms_per_call([(10.0, 5.0)], [(14.0, 2.0)]) == [None]


def test_the_parts_of_the_breakdown_add_up_to_the_time_from_train_to_done():
    parts = time_breakdown(MEASURES, ANSWERS, begun=100.0, ended=170.0)
    assert parts["total_ms"] == 70.0 and parts["slices"] == 2
    assert parts["engine_ms"] == 33.0
    assert parts["round_trips_ms"] == 40.0 - 33.0
    assert parts["between_slices_ms"] == (145.0 - 132.0) - 6.0
    assert parts["other_calls"] == {"network_view": {"count": 1, "ms": 6.0}, "start": {"count": 1, "ms": 10.0}}
    assert parts["outside_slices_ms"] == pytest.approx((112.0 - 100.0 - 10.0) + (170.0 - 165.0))
    assert parts["first_slice_at_ms"] == 12.0
    summed = (parts["engine_ms"] + parts["round_trips_ms"] + parts["between_slices_ms"] + parts["outside_slices_ms"]
              + sum(c["ms"] for c in parts["other_calls"].values()))
    assert summed == pytest.approx(parts["total_ms"])


def test_a_slice_whose_answer_is_missing_counts_as_round_trip():
    parts = time_breakdown(MEASURES, ANSWERS[:1], begun=100.0, ended=170.0)
    assert parts["engine_ms"] == 15.0 and parts["round_trips_ms"] == 25.0


def test_long_tasks_are_those_begun_between_train_and_done():
    tasks = [(90.0, 300.0), (120.0, 60.0), (150.0, 120.0), (175.0, 500.0)]
    assert long_tasks_within(tasks, 100.0, 170.0) == {"count": 2, "max_ms": 120.0}
    assert long_tasks_within([], 0.0, 1.0) == {"count": 0, "max_ms": 0.0}


def test_the_bench_seed_settings_are_what_the_cli_seed_config_means():
    args = build_parser().parse_args(["train", "boston.csv", "--target", "MEDV", *SEED_CLI])
    config = _config(args).to_dict()
    assert settings_mismatches(config, SEED_SETTINGS) == {}
    assert settings_mismatches({**config, "learning_rate": 0.003}, SEED_SETTINGS) == {"learning_rate": (0.0008, 0.003)}


def test_medians_and_their_ratios():
    # pairs: 3/1, 1/0.5, 2/4 → run-by-run ratios 3, 2, 0.5
    assert medians_and_ratios([3.0, 1.0, 2.0], [1.0, 0.5, 4.0]) == (2.0, 1.0, 2.0, 2.0)
    assert medians_and_ratios([3.0, 1.0, 9.0], [1.0, 0.5, 2.0]) == (3.0, 1.0, 3.0, 3.0)


def test_the_throughput_csv_is_seeded(tmp_path):
    first = write_csv(tmp_path / "a.csv", rows=50, columns=5, seed=3).read_text()
    assert first == write_csv(tmp_path / "b.csv", rows=50, columns=5, seed=3).read_text()
    table = read_csv_text(first)
    assert table.columns == ["x1", "x2", "x3", "x4", "target"] and table.n_rows == 50


def test_a_call_made_while_a_slice_trains_counts_only_its_time_after_that_slice():
    # slices 100-120 and 130-150; a view's call asked at 110 is answered at 125: 5 ms after its slice
    measures = [("train_for", 100.0, 20.0), ("network_view", 110.0, 15.0), ("train_for", 130.0, 20.0)]
    answers = [(120.0, 15.0), (150.0, 15.0)]  # (read at, engine_ms)
    parts = time_breakdown(measures, answers, begun=100.0, ended=150.0)
    assert parts["other_calls"] == {"network_view": {"count": 1, "ms": 5.0}}
    assert parts["between_slices_ms"] == 5.0  # the gap 120-130 less the call's 5 ms in it
    assert parts["outside_slices_ms"] == 0.0
    assert parts["engine_ms"] + parts["round_trips_ms"] + parts["between_slices_ms"] + 5.0 == 50.0
