"""The Trainer's view inside a run: per-epoch layer norms, and its next mini-batch traced as a counted step."""

import numpy as np
import pytest

from fcnn.engine.network import Network
from fcnn.engine.optimizers import make_optimizer
from fcnn.engine.trainer import Trainer


def made_up_rows(n=50, inputs=3, task="regression", seed=0):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, inputs))
    y = x @ np.array([1.0, -2.0, 0.5])[:inputs] + 0.1 * rng.normal(size=n)
    if task == "binary":
        y = (y > 0).astype(float)
    return x, y.reshape(-1, 1)


def trainer_for(optimizer="sgd", hidden=(6, 5), activation="tanh", task="regression", seed=4, batch_size=8,
                epochs=3, callback=None, n=50):
    x, y = made_up_rows(n=n, task=task)
    rng = np.random.default_rng(seed)
    network = Network(x.shape[1], list(hidden), activation, task, 1, rng)
    lr = {"sgd": 0.05, "momentum": 0.02, "adam": 0.01}[optimizer]
    return Trainer(network, make_optimizer(optimizer, network.parameters, lr, 0.01), x, y,
                   batch_size=batch_size, epochs=epochs, rng=rng, callback=callback)


def test_epoch_records_the_layers_weight_and_gradient_norms_as_numpy_computes_them():
    seen = []

    def callback(record):
        layers = trainer.network.layers
        seen.append((record, [np.linalg.norm(w.value) for w, _ in layers], [np.linalg.norm(w.grad) for w, _ in layers]))

    trainer = trainer_for(callback=callback)
    trainer.run()
    assert len(seen) == 3
    for record, weights, grads in seen:
        assert len(record.weight_norms) == len(record.gradient_norms) == 3  # two hidden layers and the output
        np.testing.assert_allclose(record.weight_norms, weights, rtol=1e-15)
        np.testing.assert_allclose(record.gradient_norms, grads, rtol=1e-15)
    assert seen[0][0].weight_norms != seen[-1][0].weight_norms  # they follow training
    assert "weight_norms" not in seen[0][0].to_dict()  # a model file's history keeps its shape


def test_gradient_norm_is_that_of_the_epochs_last_batch():
    trainer = trainer_for(batch_size=8, epochs=1)
    while trainer.n_train - trainer._position > 8 or trainer._order is None:
        trainer.train_step()
    rows = trainer.next_batch_rows()
    twin = trainer_for(batch_size=8, epochs=1)
    twin.network.set_weights(trainer.network.get_weights())
    twin.network.train_batch(rows)  # the last batch's gradient, from the same weights
    expected = [np.linalg.norm(w.grad) for w, _ in twin.network.layers]
    record = trainer.train_step()
    assert record is not None
    np.testing.assert_allclose(record.gradient_norms, expected, rtol=1e-12)


def first_epoch_gradient_ratio(activation):
    """‖dL/dW1‖ / ‖dL/dW8‖ (input-side hidden layer over the last hidden layer) after one epoch."""
    trainer = trainer_for(hidden=[16] * 8, activation=activation, task="binary", epochs=1, batch_size=50, n=200)
    record = trainer.run()[0]
    norms = record.gradient_norms
    return norms[0] / norms[7], norms


def test_sigmoid_gradients_vanish_toward_the_input_and_relu_ones_do_not():
    sigmoid_ratio, norms = first_epoch_gradient_ratio("sigmoid")
    relu_ratio, _ = first_epoch_gradient_ratio("relu")
    assert all(a < b for a, b in zip(norms[:7], norms[1:8])), norms  # falling layer by layer toward the input
    assert sigmoid_ratio < 1e-3
    assert relu_ratio > 100 * sigmoid_ratio


@pytest.mark.parametrize("optimizer", ["sgd", "momentum", "adam"])
@pytest.mark.parametrize("before", [0, 3, 7])
def test_a_traced_batch_counts_as_the_step_it_replaces(optimizer, before):
    traced, plain = trainer_for(optimizer), trainer_for(optimizer)
    for _ in range(before):
        traced.train_step()
    rows = traced.next_batch_rows()
    np.testing.assert_array_equal(rows, traced.next_batch_rows())  # peeking consumes nothing
    trace, traced_rows, _ = traced.trace_next_batch()
    np.testing.assert_array_equal(traced_rows, rows)
    assert trace.nodes[0].shape[0] == len(rows)
    traced.run()
    plain.run()
    assert [r.train_loss for r in traced.history] == pytest.approx([r.train_loss for r in plain.history], rel=1e-12)
    np.testing.assert_allclose(traced.network.parameters.values, plain.network.parameters.values, rtol=0, atol=1e-12)


def test_before_training_the_trace_takes_the_first_batch_with_the_initial_weights():
    trainer = trainer_for("adam")
    initial = trainer.network.get_weights()
    first_shuffle = np.random.default_rng(4)
    Network(3, [6, 5], "tanh", "regression", 1, first_shuffle)  # the weights draw first, as in trainer_for
    expected_rows = first_shuffle.permutation(trainer.n_train)[:8]
    trace, rows, record = trainer.trace_next_batch()
    np.testing.assert_array_equal(rows, expected_rows)
    assert record is None
    for name, value in initial.items():
        np.testing.assert_array_equal(trace.weights_before[name], value)
    np.testing.assert_array_equal(trace.node("X").value, trainer.network.inputs.data[expected_rows])


def test_a_traced_batch_that_ends_the_epoch_returns_its_record():
    trainer = trainer_for(batch_size=50, epochs=2)
    _, _, record = trainer.trace_next_batch()
    assert record is not None and record.epoch == 1 and trainer.epoch == 1


@pytest.mark.parametrize("optimizer", ["sgd", "momentum", "adam"])
@pytest.mark.parametrize("before", [0, 5])
def test_a_peeked_step_taken_later_is_the_traced_step_bit_for_bit(optimizer, before):
    peeked, traced = trainer_for(optimizer, batch_size=10), trainer_for(optimizer, batch_size=10)
    for _ in range(before):  # 5 batches of 10: the taken step starts the second epoch
        peeked.train_step()
        traced.train_step()
    trace, rows = peeked.peek_next_batch()
    taken, record = peeked.take_peeked_step(trace, rows)
    expected, expected_rows, expected_record = traced.trace_next_batch()
    assert taken is trace and record == expected_record and peeked.epoch == traced.epoch == before // 5
    np.testing.assert_array_equal(rows, expected_rows)
    np.testing.assert_array_equal(peeked.network.parameters.values, traced.network.parameters.values)
    for name, state in traced.optimizer.save_state().items():
        np.testing.assert_array_equal(peeked.optimizer.save_state()[name], state)
    assert (taken.loss, taken.loss_after) == (expected.loss, expected.loss_after)
    peeked.run()
    traced.run()
    assert [r.train_loss for r in peeked.history] == [r.train_loss for r in traced.history]
    np.testing.assert_array_equal(peeked.network.parameters.values, traced.network.parameters.values)


def count_forward_passes(network, monkeypatch):
    """Counts the batches computed from now on, {'calls': n}: every node's forward run one by one
    (as the trace runs them), and every ``train_batch`` (which runs the bound methods it keeps)."""
    counted = {"calls": 0}
    for kind in {type(node) for node in network.nodes}:
        def counting(node, _forward=kind.forward):
            counted["calls"] += 1
            return _forward(node)
        monkeypatch.setattr(kind, "forward", counting)

    def counting_batch(indexes, _train_batch=network.train_batch):
        counted["calls"] += 1
        return _train_batch(indexes)
    monkeypatch.setattr(network, "train_batch", counting_batch)
    return counted


def test_taking_a_peeked_step_computes_nothing_again(monkeypatch):
    trainer = trainer_for("adam")
    trace, rows = trainer.peek_next_batch()
    counted = count_forward_passes(trainer.network, monkeypatch)
    trainer.take_peeked_step(trace, rows)
    assert counted["calls"] == 0
    trainer.train_step()
    assert counted["calls"] > 0  # the count sees a batch computed


def test_a_peeked_step_is_computed_again_at_a_learning_rate_changed_since(monkeypatch):
    trainer, twin = trainer_for("sgd"), trainer_for("sgd")
    trace, rows = trainer.peek_next_batch()
    trainer.learning_rate = twin.learning_rate = 0.01
    taken, _ = trainer.take_peeked_step(trace, rows)
    expected, _, _ = twin.trace_next_batch()
    assert taken is not trace and taken.learning_rate == 0.01
    np.testing.assert_array_equal(trainer.network.parameters.values, twin.network.parameters.values)
    assert not np.array_equal(trainer.network.parameters.values, trace.after_step[0])
