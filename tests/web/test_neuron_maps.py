"""The neuron maps (Session.neuron_maps): each hidden unit's output over the plane of two
features, or its histogram over the test rows, checked against plain numpy."""

import json
import pathlib

import numpy as np
import pytest

from fcnn.web.neuron_maps import HISTOGRAM_BINS, MAP_WORK_LIMIT, MAX_MAP_SIZE, MAX_UNITS_SHOWN
from fcnn.web.session import Session

DATA = pathlib.Path(__file__).resolve().parents[2] / "static" / "data"

# each activation written out again, independently of the engine's nodes
NUMPY_ACTIVATIONS = {
    "sigmoid": lambda z: 1.0 / (1.0 + np.exp(-z)),
    "tanh": np.tanh,
    "relu": lambda z: np.maximum(z, 0.0),
    "identity": lambda z: z,
}


def call(method, *args):
    answer = json.loads(method(*args))
    return answer


def run_on_sample(sample="xor", epochs=3, **config):
    session = Session()
    assert call(session.load_sample, sample, 1)["ok"]
    settings = {"target": "label", "epochs": epochs, "seed": 5, **config}
    assert call(session.start, json.dumps(settings))["ok"]
    assert call(session.train_for, 10_000)["finished"]
    return session


def run_on_file(name, target, epochs=3, **config):
    session = Session()
    assert call(session.load_csv, (DATA / name).read_text(), name)["ok"]
    settings = {"target": target, "epochs": epochs, "seed": 5, **config}
    assert call(session.start, json.dumps(settings))["ok"]
    assert call(session.train_for, 10_000)["finished"]
    return session


def hidden_by_numpy(session, x):
    """Every hidden layer's activations for the scaled rows x, from the network's weights."""
    network = session.experiment.network
    weights, act = network.get_weights(), NUMPY_ACTIVATIONS[network.activation]
    out, h = [], np.asarray(x, float)
    for i in range(1, len(network.hidden_layers) + 1):
        h = act(h @ weights[f"W{i}"] + weights[f"b{i}"])
        out.append(h)
    return out


@pytest.mark.parametrize("activation", sorted(NUMPY_ACTIVATIONS))
def test_each_grid_cell_is_the_units_output_at_that_point(activation):
    session = run_on_sample(hidden_layers=[5, 3], activation=activation)
    answer = call(session.neuron_maps, 12)
    assert answer["ok"] and answer["kind"] == "grid" and answer["size"] == 12
    assert answer["epoch"] == 3 and answer["activation"] == activation
    assert [(l["layer"], l["units"], len(l["maps"])) for l in answer["layers"]] == [(1, 5, 5), (2, 3, 3)]
    # the same plane as the decision map
    decision = call(session.grid, 12)
    assert answer["x_range"] == decision["x_range"] and answer["y_range"] == decision["y_range"]
    xs, ys = np.linspace(*answer["x_range"], 12), np.linspace(*answer["y_range"], 12)
    cells = [(0, 0), (0, 11), (11, 0), (5, 7), (11, 11)]  # (row: y index, column: x index)
    points = [[repr(float(xs[c])), repr(float(ys[r]))] for r, c in cells]
    expected = hidden_by_numpy(session, session.experiment.data.pipeline.transform_rows(points))
    for layer, values in zip(answer["layers"], expected):
        for entry in layer["maps"]:
            assert len(entry["values"]) == 144
            got = [entry["values"][r * 12 + c] for r, c in cells]
            np.testing.assert_allclose(got, values[:, entry["unit"]], atol=6e-5)


def test_a_unit_map_is_not_flat_after_training():
    session = run_on_sample(hidden_layers=[4], activation="tanh", epochs=20)
    maps = call(session.neuron_maps, 24)["layers"][0]["maps"]
    assert all(np.ptp(m["values"]) > 0.05 for m in maps)


def test_histograms_count_every_test_row_as_numpy_bins_them():
    session = run_on_file("iris.csv", "species", hidden_layers=[6, 4], activation="sigmoid")
    answer = call(session.neuron_maps)
    x_test = session.experiment.data.x_test
    assert answer["kind"] == "histogram" and answer["rows"] == "test" and answer["n_rows"] == len(x_test) > 0
    assert answer["bins"] == HISTOGRAM_BINS
    expected = hidden_by_numpy(session, x_test)
    for layer, values in zip(answer["layers"], expected):
        assert len(layer["maps"]) == layer["units"] == values.shape[1]
        for entry in layer["maps"]:
            counts, edges = entry["counts"], entry["edges"]
            assert sum(counts) == len(x_test) and len(counts) == HISTOGRAM_BINS and len(edges) == HISTOGRAM_BINS + 1
            column = values[:, entry["unit"]]
            assert edges[0] == pytest.approx(column.min()) and edges[-1] == pytest.approx(column.max())
            # binned by the inner edges: the outer ones are this column's own min and max, to the last bit
            binned = np.searchsorted(edges[1:-1], column, side="right")
            assert counts == np.bincount(binned, minlength=HISTOGRAM_BINS).tolist()


def test_a_unit_that_never_varies_still_has_its_rows_in_one_bar():
    session = run_on_file("iris.csv", "species", hidden_layers=[3], activation="relu")
    weights = session.experiment.network.get_weights()
    weights["W1"][:, 0], weights["b1"][0] = 0.0, -1.0  # unit 0 is always off
    session.experiment.network.set_weights(weights)
    entry = call(session.neuron_maps)["layers"][0]["maps"][0]
    assert entry["edges"][0] == -0.5 and entry["edges"][-1] == 0.5
    assert sorted(entry["counts"])[-1] == sum(entry["counts"]) == len(session.experiment.data.x_test)


def test_sizes_are_bounded_whatever_is_asked():
    session = run_on_sample(hidden_layers=[40, 2], epochs=1)
    answer = call(session.neuron_maps, 10_000)
    assert answer["size"] == MAX_MAP_SIZE and answer["units_shown"] == MAX_UNITS_SHOWN
    first, second = answer["layers"]
    assert first["units"] == 40 and [m["unit"] for m in first["maps"]] == list(range(MAX_UNITS_SHOWN))
    assert second["units"] == 2 and len(second["maps"]) == 2
    assert all(len(m["values"]) == MAX_MAP_SIZE**2 for layer in answer["layers"] for m in layer["maps"])
    assert call(session.neuron_maps, 0)["size"] == 2


def test_a_big_network_gets_a_coarser_grid_so_a_map_stays_cheap():
    session = Session()
    assert call(session.load_sample, "xor", 1)["ok"]
    assert call(session.start, json.dumps({"target": "label", "hidden_layers": [512] * 10, "epochs": 1}))["ok"]
    answer = call(session.neuron_maps, 24)
    # 2·512 + 9·512² + 512 multiply-adds a row: 10×10 rows stay within the limit, 11×11 would not
    assert answer["size"] == 10 and answer["size"] ** 2 * (2 * 512 + 9 * 512 * 512 + 512) <= MAP_WORK_LIMIT
    assert [len(layer["maps"]) for layer in answer["layers"]] == [MAX_UNITS_SHOWN] * 10
    assert all(len(m["values"]) == 100 for layer in answer["layers"] for m in layer["maps"])


def test_no_run_no_maps_and_no_hidden_layer_nothing_to_show():
    answer = call(Session().neuron_maps, 24)
    assert not answer["ok"] and "press Train" in answer["error"]
    answer = call(run_on_sample(hidden_layers=[], epochs=1).neuron_maps, 24)
    assert answer["ok"] and answer["kind"] == "none" and answer["layers"] == []


def test_the_maps_do_not_disturb_training():
    """They run the training graph's own nodes on other rows: the run must go on exactly as without them."""
    plain = run_on_sample(hidden_layers=[6, 3], epochs=2, batch_size=7)
    watched = run_on_sample(hidden_layers=[6, 3], epochs=2, batch_size=7)
    for session in (plain, watched):
        session.experiment.trainer.extend(6)
    for _ in range(4):
        assert call(watched.neuron_maps, 24)["ok"]
        call(watched.step), call(plain.step)
    after_plain, after_watched = plain.experiment.network.get_weights(), watched.experiment.network.get_weights()
    for name, value in after_plain.items():
        np.testing.assert_array_equal(after_watched[name], value)
    assert call(watched.trace_next_batch)["loss"] == call(plain.trace_next_batch)["loss"]


def test_a_loaded_model_file_is_not_mapped_as_if_it_were_the_run():
    session = run_on_sample(hidden_layers=[3], epochs=1)
    assert call(session.load_model, call(session.model_json)["text"])["ok"]
    answer = call(session.neuron_maps, 24)
    assert not answer["ok"] and "loaded model file" in answer["error"]
