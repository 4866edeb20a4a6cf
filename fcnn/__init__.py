"""fcnn: a fully connected neural network built as a graph of nodes, on numpy.

The engine (nodes, graph, network, training, data) imports nothing from the
browser; ``fcnn.session`` is the JSON-in/JSON-out face the browser worker uses.
"""

from .data import MinMaxScaler, TargetScaler, r2_score, read_csv_text, train_test_split
from .errors import ConfigError, DataError, FcnnError, GraphError
from .graph import backward_pass, forward_pass, topological_sort
from .network import Network
from .optimizers import SGD, Adam, Momentum
from .nodes import BaseNode, InputNode, LinearNode, MseNode, SigmoidNode, WeightNode
from .training import RegressionRun, TrainingConfig

__version__ = "0.1.0"
