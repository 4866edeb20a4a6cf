"""fcnn: a fully connected neural network built as a graph of nodes, on numpy.

The engine (nodes, graph, network, optimizers, trainer, data, preprocess,
metrics, model) imports nothing from the browser; ``fcnn.session`` is the
JSON-in/JSON-out face that the browser worker (``fcnn.worker``) exports.
"""

from .data import read_csv_text
from .errors import ConfigError, DataError, FcnnError, GraphError
from .gradcheck import check_all_node_kinds, gradient_check
from .graph import backward_pass, forward_pass, topological_sort
from .model import Model, ModelFileError, load_model
from .network import Network
from .nodes import (
    BaseNode,
    BinaryCrossEntropyNode,
    IdentityNode,
    InputNode,
    LinearNode,
    MseNode,
    ReluNode,
    SigmoidNode,
    SoftmaxCrossEntropyNode,
    TanhNode,
    WeightNode,
)
from .optimizers import SGD, Adam, Momentum
from .trainer import Trainer
from .training import Experiment, TrainingConfig

__version__ = "0.2.0"
