"""fcnn: a fully connected neural network built as a graph of nodes, on numpy.

The engine (nodes, graph, network, optimizers, trainer), the tables
(reading, column types, task, features, targets, split, prepare) and the
run (settings, experiment, metrics, model) import nothing from the browser; ``fcnn.web.session`` is the JSON-in/JSON-out face that the
browser worker (``fcnn.web.worker``) exports. ``fcnn.run.settings`` holds the
defaults, limits, choices and samples the page reads as ``facts.json``.
"""

from .tables import read_csv_text
from .errors import ConfigError, DataError, FcnnError, GraphError
from .engine.gradcheck import check_all_node_kinds, gradient_check
from .engine.graph import backward_pass, forward_pass, topological_sort
from .run.model import Model, ModelFileError, load_model
from .engine.network import Network
from .engine.nodes import (
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
from .engine.optimizers import SGD, Adam, Momentum
from .engine.lr_finder import RangeTest, range_test
from .engine.trainer import Trainer
from .run.experiment import Experiment
from .run.settings import TrainingConfig

__version__ = "0.2.0"
