"""A saved model as an ONNX graph: the feature pipeline, the network and the answer.

    python -m fcnn export model.json --onnx model.onnx

The graph takes the raw columns, as skl2onnx's pipelines do: one input per
feature column, named as the column, of shape [N, 1]. A numeric column is
float, NaN for a missing cell; a text column is string, a missing cell being
the empty string or one of the reader's missing tokens ("NA", "?", …). Text
is matched as fcnn keeps it: without the spaces around it.

Inside, everything runs in double precision, as fcnn does: the pipeline's
imputing, scaling and one-hot encoding (``ai.onnx.ml.OneHotEncoder``), each
layer's MatMul + Add and activation, then the answer:
  regression: ``prediction`` [N, 1] in the target's units;
  classification: ``label`` [N] (the class label, a string) and
  ``probabilities`` [N, classes].

ONNX has no notion of fcnn's node graph; this is the prediction graph
(``Network.prediction_nodes``) written in ONNX's operators, with the weights
as initializers. Needs the ``onnx`` package (``pip install onnx``).
"""

from __future__ import annotations

import numpy as np

from ..errors import FcnnError
from ..tables import MISSING_TOKENS

OPSET = 17  # the default domain; ai.onnx.ml at version 3
ML_OPSET = 3
ACTIVATION_OPS = {"relu": "Relu", "sigmoid": "Sigmoid", "tanh": "Tanh", "identity": None}


def _onnx():
    try:
        import onnx
    except ImportError:
        raise FcnnError("writing ONNX needs the onnx package; install it with: pip install onnx") from None
    return onnx


class _GraphBuilder:
    """Nodes and initializers of one graph, with unique internal names."""

    def __init__(self, onnx):
        self.onnx, self.helper = onnx, onnx.helper
        self.nodes, self.initializers, self._count = [], [], 0

    def name(self, hint):
        self._count += 1
        return f"fcnn/{hint}_{self._count}"

    def constant(self, hint, array):
        name = self.name(hint)
        self.initializers.append(self.onnx.numpy_helper.from_array(np.asarray(array), name))
        return name

    def op(self, kind, inputs, hint=None, domain="", output=None, **attributes):
        output = output or self.name(hint or kind.lower())
        self.nodes.append(self.helper.make_node(kind, list(inputs), [output], domain=domain, **attributes))
        return output


def _numeric_block(graph, feature):
    """x [N,1] float → (x or the training median when NaN − offset) / scale, double."""
    x = graph.op("Cast", [feature.name], "as_double", to=graph.onnx.TensorProto.DOUBLE)
    missing = graph.op("IsNaN", [x])
    filled = graph.op("Where", [missing, graph.constant("fill", np.array([[feature.fill]])), x])
    shifted = graph.op("Sub", [filled, graph.constant("offset", np.array([[feature.offset]]))])
    return graph.op("Div", [shifted, graph.constant("scale", np.array([[feature.scale]]))])


def _categorical_block(graph, feature):
    """s [N,1] string → one 0/1 column per training category, double; a missing token
    counts as the fill category and an unseen value gives all zeros, as in fcnn."""
    categories = list(feature.categories)
    tokens = sorted(t for t in MISSING_TOKENS if t not in categories)
    hot = graph.op("OneHotEncoder", [feature.name], "one_hot", domain="ai.onnx.ml",
                   cats_strings=categories + tokens, zeros=1)
    flat = graph.op("Reshape", [hot, graph.constant("shape", np.array([-1, len(categories) + len(tokens)]))])
    hot_double = graph.op("Cast", [flat], "as_double", to=graph.onnx.TensorProto.DOUBLE)
    # categories map to themselves, each missing token to the fill category
    routing = np.zeros((len(categories) + len(tokens), len(categories)))
    routing[np.arange(len(categories)), np.arange(len(categories))] = 1.0
    routing[len(categories):, categories.index(feature.fill)] = 1.0
    return graph.op("MatMul", [hot_double, graph.constant("missing_to_fill", routing)])


def _inputs(graph, pipeline):
    """The graph's inputs and the scaled feature matrix [N, n_features] (double)."""
    onnx, inputs, blocks = graph.onnx, [], []
    for feature in pipeline.encodings:
        if feature.kind == "categorical":
            inputs.append(graph.helper.make_tensor_value_info(feature.name, onnx.TensorProto.STRING, ["N", 1]))
            blocks.append(_categorical_block(graph, feature))
        else:
            inputs.append(graph.helper.make_tensor_value_info(feature.name, onnx.TensorProto.FLOAT, ["N", 1]))
            blocks.append(_numeric_block(graph, feature))
    features = blocks[0] if len(blocks) == 1 else graph.op("Concat", blocks, "features", axis=1)
    return inputs, features


def _network(graph, network, x):
    """The prediction graph's layers: MatMul + Add, then the activation (none after the last)."""
    activation = ACTIVATION_OPS[network.activation]
    for k, (weights, biases) in enumerate(network.layers, start=1):
        x = graph.op("MatMul", [x, graph.constant(weights.name, weights.value)], f"linear{k}_product")
        x = graph.op("Add", [x, graph.constant(biases.name, biases.value)], f"linear{k}")
        if k < len(network.layers) and activation:
            x = graph.op(activation, [x], f"{network.activation}{k}")
    return x


def _answer(graph, model, logits):
    """The outputs' names and value infos: prediction, or label and probabilities."""
    onnx, helper, task = graph.onnx, graph.helper, model.task
    if task == "regression":
        scaler = model.encoder.scaler
        scaled = graph.op("Mul", [logits, graph.constant("target_scale", np.array([[scaler.scale_]]))])
        graph.op("Add", [scaled, graph.constant("target_mean", np.array([[scaler.mean_]]))], output="prediction")
        return [helper.make_tensor_value_info("prediction", onnx.TensorProto.DOUBLE, ["N", 1])]
    if task == "binary":
        p = graph.op("Sigmoid", [logits], "sigmoid_out")
        q = graph.op("Sub", [graph.constant("one", np.array([[1.0]])), p])
        graph.op("Concat", [q, p], axis=1, output="probabilities")
    else:
        graph.op("Softmax", [logits], axis=1, output="probabilities")
    index = graph.op("ArgMax", ["probabilities"], "class_index", axis=1, keepdims=0)
    classes = np.array(model.encoder.classes, dtype=object)
    graph.op("Gather", [graph.constant("classes", classes), index], axis=0, output="label")
    return [helper.make_tensor_value_info("label", onnx.TensorProto.STRING, ["N"]),
            helper.make_tensor_value_info("probabilities", onnx.TensorProto.DOUBLE, ["N", len(classes)])]


def model_to_onnx(model):
    """The ONNX ModelProto of a fcnn ``Model`` (checked by onnx.checker)."""
    onnx = _onnx()
    graph = _GraphBuilder(onnx)
    inputs, features = _inputs(graph, model.pipeline)
    outputs = _answer(graph, model, _network(graph, model.network, features))
    body = onnx.helper.make_graph(graph.nodes, f"fcnn model predicting {model.target}", inputs, outputs,
                                  initializer=graph.initializers)
    proto = onnx.helper.make_model(
        body, producer_name="fcnn", opset_imports=[onnx.helper.make_opsetid("", OPSET),
                                                   onnx.helper.make_opsetid("ai.onnx.ml", ML_OPSET)])
    proto.ir_version = 8  # readable by onnxruntime 1.14 and later
    onnx.checker.check_model(proto)
    return proto


def write_onnx(model, path):
    _onnx().save(model_to_onnx(model), str(path))
