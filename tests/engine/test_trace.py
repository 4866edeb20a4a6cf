"""The trace of one mini-batch: values, gradients and the step are the network's and the optimizer's own."""

import json

import numpy as np
import pytest

from fcnn.engine.gradcheck import demo_batch, relative_error
from fcnn.engine.graph import forward_pass, topological_sort
from fcnn.engine.network import Network, ParameterSet
from fcnn.engine.nodes import InputNode, LinearNode, MseNode, TanhNode, WeightNode
from fcnn.engine.optimizers import make_optimizer
from fcnn.engine.trace import BatchTracer, trace_batch
from fcnn.errors import ConfigError, DataError

TASK_OUTPUTS = {"regression": 1, "binary": 1, "multiclass": 3}
ACTIVATIONS = ("relu", "sigmoid", "tanh", "identity")
# central differences carry about 1e-10 of noise; a wrong gradient is off by order 1
GRADIENT_TOLERANCE = 1e-4


def twin_networks(activation, task, seed=3, hidden=(5, 4), count=2):
    """Networks with the same initial weights, built from the same seed."""
    return [Network(3, list(hidden), activation, task, TASK_OUTPUTS[task], np.random.default_rng(seed)) for _ in range(count)]


def jitter_biases(networks, seed=1):
    """Nonzero biases (the same in each network), so no relu input sits exactly at its kink."""
    rng = np.random.default_rng(seed)
    for bias in [w.name for w in networks[0].weights if not w.decay]:
        noise = rng.normal(0.0, 0.1, size=networks[0].get_weights()[bias].shape)
        for net in networks:
            next(w for w in net.weights if w.name == bias).value += noise


def traced(activation, task, optimizer="sgd", lr=0.05, rows=6, seed=3):
    net, twin = twin_networks(activation, task, seed)
    jitter_biases([net, twin])
    x, y = demo_batch(net, rows=rows, seed=seed)
    trace = trace_batch(net, make_optimizer(optimizer, net.parameters, lr), x, y)
    return trace, twin, x, y


def numeric_gradient(net, x, y, name, eps=1e-6):
    """dLoss/d(value of node ``name``) by central differences: the node's value is
    held at the perturbed array while every node after it recomputes. A weight's
    value is changed in place (it is a view into the parameter vector)."""
    net.inputs.value, net.labels.value = x, y
    forward_pass(net.nodes)
    position = [n.name for n in net.nodes].index(name)
    node, later = net.nodes[position], net.nodes[position + 1 :]
    base = np.array(node.value, dtype=float, copy=True)

    def loss_at(value):
        if isinstance(node, WeightNode):
            np.copyto(node.value, value)
        else:
            node.value = value
        forward_pass(later)
        return net.loss.value

    grad = np.empty_like(base)
    for k in np.ndindex(base.shape):
        up, down = base.copy(), base.copy()
        up[k] += eps
        down[k] -= eps
        grad[k] = (loss_at(up) - loss_at(down)) / (2 * eps)
    loss_at(base)
    return grad


@pytest.mark.parametrize("task", TASK_OUTPUTS)
@pytest.mark.parametrize("activation", ACTIVATIONS)
def test_trace_values_equal_a_plain_forward_pass(activation, task):
    trace, twin, x, y = traced(activation, task)
    twin.inputs.value, twin.labels.value = x, y
    forward_pass(twin.nodes)
    assert [n.name for n in trace.nodes] == [n.name for n in twin.nodes]
    for recorded, node in zip(trace.nodes, twin.nodes):
        assert recorded.kind == type(node).__name__
        assert recorded.inbound == [i.name for i in node.inbound_nodes]
        np.testing.assert_allclose(recorded.value, node.value, rtol=0, atol=1e-12, err_msg=node.name)
    assert trace.loss == pytest.approx(twin.loss.value, abs=1e-12)
    output = trace.node(twin.output.name).value
    expected = twin.predict(x)
    if task == "multiclass":  # the output node holds logits; predict turns them into probabilities
        output = np.exp(output) / np.exp(output).sum(axis=1, keepdims=True)
    np.testing.assert_allclose(output, expected, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("task", TASK_OUTPUTS)
@pytest.mark.parametrize("activation", ACTIVATIONS)
def test_trace_gradients_equal_central_differences(activation, task):
    trace, twin, x, y = traced(activation, task)
    checked = set()
    for recorded in trace.nodes:
        for inbound, gradient in recorded.gradients.items():
            # every node of these networks has one consumer, so what it sends back is the whole gradient
            numeric = numeric_gradient(twin, x, y, inbound)
            assert relative_error(np.asarray(gradient), numeric) < GRADIENT_TOLERANCE, (recorded.name, inbound)
            checked.add(trace.node(inbound).kind)
            checked.add(recorded.kind)
    kinds = {n.kind for n in trace.nodes} - {"InputNode"}
    assert kinds <= checked  # every node kind but the inputs sent or received a checked gradient


@pytest.mark.parametrize("task", TASK_OUTPUTS)
def test_each_node_s_gradient_is_the_sum_of_what_its_outbound_nodes_sent(task):
    trace, twin, x, y = traced("tanh", task)
    for recorded in trace.nodes:
        if recorded.name == twin.loss.name:
            assert recorded.gradient == 1.0 and recorded.received == {}
        elif recorded.kind == "InputNode":
            assert recorded.gradient is None and recorded.received == {}  # nothing needs dL/dX or dL/dy
        else:
            assert recorded.received, recorded.name
            np.testing.assert_array_equal(recorded.gradient, sum(recorded.received.values()))
            numeric = numeric_gradient(twin, x, y, recorded.name)
            assert relative_error(np.asarray(recorded.gradient), numeric) < GRADIENT_TOLERANCE, recorded.name


def step_by_training(net, x, y, optimizer):
    net.inputs.set_data(x)
    net.labels.set_data(y)
    loss = net.train_batch(np.arange(len(x)))
    optimizer.step()
    return loss


@pytest.mark.parametrize("task", TASK_OUTPUTS)
@pytest.mark.parametrize("optimizer", ["sgd", "momentum", "adam"])
def test_trace_update_equals_one_training_step_and_the_run_resumes(optimizer, task):
    traced_net, trained_net = twin_networks("relu", task)
    x, y = demo_batch(traced_net, rows=7, seed=5)
    x2, y2 = demo_batch(traced_net, rows=4, seed=6)
    traced_opt = make_optimizer(optimizer, traced_net.parameters, 0.05, weight_decay=0.01)
    trained_opt = make_optimizer(optimizer, trained_net.parameters, 0.05, weight_decay=0.01)
    start = trained_net.get_weights()
    for _ in range(2):  # the second step starts from a moving optimizer state (velocity, Adam's moments)
        trace = trace_batch(traced_net, traced_opt, x, y)
        loss = step_by_training(trained_net, x, y, trained_opt)
        assert trace.loss == pytest.approx(loss, abs=1e-12)
    after = trained_net.get_weights()
    assert any(np.abs(after[k] - start[k]).max() > 1e-3 for k in after)  # the steps moved the weights
    for name, value in after.items():
        np.testing.assert_allclose(trace.weights_after[name], value, rtol=0, atol=1e-12, err_msg=name)
        np.testing.assert_allclose(traced_net.get_weights()[name], value, rtol=0, atol=1e-12)
        np.testing.assert_allclose(trace.steps[name], trace.weights_after[name] - trace.weights_before[name], atol=1e-15)
    # training resumes from the traced step, with another batch size, exactly as after training steps
    step_by_training(traced_net, x2, y2, traced_opt)
    step_by_training(trained_net, x2, y2, trained_opt)
    for name, value in trained_net.get_weights().items():
        np.testing.assert_allclose(traced_net.get_weights()[name], value, rtol=0, atol=1e-12, err_msg=name)


def test_the_loss_after_the_step_is_the_batch_s_loss_with_the_new_weights():
    trace, twin, x, y = traced("sigmoid", "regression", lr=0.05)
    twin.set_weights(trace.weights_after)
    assert trace.loss_after == pytest.approx(twin.evaluate_loss(x, y), abs=1e-12)
    assert trace.loss_after < trace.loss


def test_the_trace_keeps_copies_the_next_batch_cannot_overwrite():
    net = Network(3, [4], "tanh", "regression", 1, np.random.default_rng(0))
    optimizer = make_optimizer("sgd", net.parameters, 0.1)
    x, y = demo_batch(net, rows=5, seed=1)
    trace = trace_batch(net, optimizer, x, y)
    saved = json.loads(json.dumps(trace.to_dict()))
    x2, y2 = demo_batch(net, rows=5, seed=2)  # the same batch size: the nodes reuse their buffers
    trace_batch(net, optimizer, x2, y2)
    assert json.loads(json.dumps(trace.to_dict())) == saved
    assert saved["weights_before"]["W1"] != saved["weights_after"]["W1"]


def test_to_dict_holds_the_documented_keys_as_json():
    trace, twin, x, y = traced("relu", "multiclass")
    document = json.loads(json.dumps(trace.to_dict()))
    assert {"nodes", "loss", "weights_before", "weights_after", "steps"} <= set(document)
    names = [n["name"] for n in document["nodes"]]
    assert names == [n.name for n in twin.nodes]
    linear = document["nodes"][names.index("linear1")]
    assert linear["kind"] == "LinearNode" and linear["inbound"] == ["X", "W1", "b1"]
    assert set(linear["gradients"]) == {"W1", "b1"}  # the inputs need no gradient
    assert np.shape(linear["value"]) == (6, 5) and np.shape(linear["gradients"]["W1"]) == (3, 5)
    assert set(document["weights_after"]) == {w.name for w in twin.weights}
    assert isinstance(document["loss"], float)


def test_a_batch_of_the_wrong_shape_is_refused_with_the_shape_needed():
    net = Network(3, [4], "relu", "multiclass", 3, np.random.default_rng(0))
    optimizer = make_optimizer("sgd", net.parameters, 0.1)
    with pytest.raises(DataError, match=r"rows of 3 inputs"):
        trace_batch(net, optimizer, np.zeros((2, 4)), np.zeros((2, 3)))
    with pytest.raises(DataError, match=r"shape \(2, 3\)"):
        trace_batch(net, optimizer, np.zeros((2, 3)), np.zeros((2, 1)))


class SharedWeightNetwork:
    """X → linear_a (W, b_a) → tanh → linear_b (the same W, b_b) → mse: W has two
    consumers, so its gradient is the chain rule's sum over two paths."""

    get_weights = Network.get_weights
    evaluate_loss = Network.evaluate_loss

    def __init__(self, width=3, seed=0):
        rng = np.random.default_rng(seed)
        self.n_inputs = self.n_outputs = width
        self.inputs, self.labels = InputNode(name="X"), InputNode(name="y")
        shared = WeightNode(rng.normal(size=(width, width)), name="W")
        biases = [WeightNode(rng.normal(size=width), name=f"b_{side}", decay=False) for side in "ab"]
        hidden = TanhNode(LinearNode(self.inputs, shared, biases[0], name="linear_a"), name="tanh")
        self.loss = MseNode(self.labels, LinearNode(hidden, shared, biases[1], name="linear_b"), name="mse")
        self.nodes = topological_sort([self.inputs, self.labels])
        self.parameters = ParameterSet([shared] + biases)
        self.weights = self.parameters.weights


def test_a_weight_with_two_consumers_gets_the_sum_of_both_paths():
    net, twin = SharedWeightNetwork(), SharedWeightNetwork()
    rng = np.random.default_rng(4)
    x, y = rng.normal(size=(5, 3)), rng.normal(size=(5, 3))
    trace = trace_batch(net, make_optimizer("sgd", net.parameters, 0.1), x, y)
    shared = trace.node("W")
    assert set(shared.received) == {"linear_a", "linear_b"}
    paths = shared.received["linear_a"] + shared.received["linear_b"]
    np.testing.assert_allclose(shared.gradient, paths, rtol=1e-14, atol=0)
    assert np.abs(shared.received["linear_a"]).max() > 1e-3 and np.abs(shared.received["linear_b"]).max() > 1e-3
    assert relative_error(np.asarray(shared.gradient), numeric_gradient(twin, x, y, "W")) < GRADIENT_TOLERANCE
    np.testing.assert_allclose(trace.steps["W"], -0.1 * paths, rtol=1e-12, atol=1e-15)


def test_a_batch_whose_loss_is_not_finite_takes_no_step_as_in_training():
    net = Network(3, [4], "identity", "regression", 1, np.random.default_rng(0))
    optimizer = make_optimizer("momentum", net.parameters, 0.1)
    start = net.get_weights()
    trace = trace_batch(net, optimizer, np.full((2, 3), 1e300), np.zeros((2, 1)))
    assert not trace.stepped and not np.isfinite(trace.loss)
    for name, value in start.items():
        np.testing.assert_array_equal(net.get_weights()[name], value)
        np.testing.assert_array_equal(trace.weights_after[name], value)
    assert not optimizer.velocity.any()


def test_an_optimizer_of_another_network_is_refused():
    net, other = twin_networks("relu", "regression")
    with pytest.raises(ConfigError, match="the optimizer made for this network"):
        trace_batch(net, make_optimizer("sgd", other.parameters, 0.1), *demo_batch(net))


@pytest.mark.parametrize("optimizer", ["sgd", "momentum", "adam"])
def test_a_trace_that_only_looks_shows_the_step_and_leaves_weights_and_optimizer_as_they_were(optimizer):
    net, twin = twin_networks("tanh", "multiclass")
    x, y = demo_batch(net, rows=6, seed=4)
    looking, stepping = (make_optimizer(optimizer, n.parameters, 0.05, weight_decay=0.01) for n in (net, twin))
    for _ in range(2):  # some optimizer state to keep: velocity, moments, step count
        looking.parameters.grads[:] = stepping.parameters.grads[:] = 0.1
        looking.step(), stepping.step()
    before, state = net.parameters.snapshot(), looking.save_state()
    look = trace_batch(net, looking, x, y, take_step=False)
    np.testing.assert_array_equal(net.parameters.values, before)
    for name, saved in state.items():
        np.testing.assert_array_equal(getattr(looking, name, 0), saved)
    step = trace_batch(twin, stepping, x, y)
    assert look.loss == step.loss and look.loss_after == step.loss_after
    for name in step.steps:
        np.testing.assert_array_equal(look.steps[name], step.steps[name])
        np.testing.assert_array_equal(look.weights_after[name], step.weights_after[name])
    # the step taken later from the restored state is the one shown
    trace_batch(net, looking, x, y)
    np.testing.assert_array_equal(net.parameters.values, twin.parameters.values)


@pytest.mark.parametrize("take_step", [True, False])
def test_a_tracer_run_a_piece_at_a_time_with_other_work_between_equals_the_whole_trace(take_step):
    """Between pieces something else runs the network (a prediction on other rows); replay()
    puts the nodes back, and every number equals trace_batch's."""
    net, twin = twin_networks("sigmoid", "binary", hidden=(5, 4))
    x, y = demo_batch(net, rows=6, seed=5)
    opt, twin_opt = (make_optimizer("momentum", n.parameters, 0.05) for n in (net, twin))
    whole = trace_batch(twin, twin_opt, x, y, take_step=take_step)
    tracer = BatchTracer(net, opt, x, y, take_step=take_step)
    phases = []
    while not tracer.finished:
        phases.append(tracer.advance()[0])
        net.predict(np.random.default_rng(len(phases)).normal(size=(9, 3)))  # the nodes now hold other rows
        tracer.replay()
    nodes = len(net.nodes)
    assert phases == ["forward"] * nodes + ["backward"] * nodes + ["step", "loss_after"]
    traced = tracer.result
    assert (traced.loss, traced.loss_after) == (whole.loss, whole.loss_after)
    for mine, theirs in zip(traced.nodes, whole.nodes):
        np.testing.assert_array_equal(mine.value, theirs.value)
        np.testing.assert_array_equal(mine.gradient, theirs.gradient)
        assert mine.gradients.keys() == theirs.gradients.keys() and mine.received.keys() == theirs.received.keys()
        for name in mine.gradients:
            np.testing.assert_array_equal(mine.gradients[name], theirs.gradients[name])
    for name in whole.steps:
        np.testing.assert_array_equal(traced.steps[name], whole.steps[name])
    np.testing.assert_array_equal(net.parameters.values, twin.parameters.values)


def test_a_tracer_refuses_to_go_on_once_the_weights_changed():
    net = twin_networks("tanh", "regression", count=1)[0]
    x, y = demo_batch(net, rows=4, seed=2)
    tracer = BatchTracer(net, make_optimizer("sgd", net.parameters, 0.1), x, y)
    tracer.advance()
    net.parameters.values[0] += 1.0  # a training step ran meanwhile
    with pytest.raises(ConfigError, match="weights changed"):
        tracer.replay()
