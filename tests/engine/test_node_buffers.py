"""Where the nodes keep their arrays: made when the batch shape changes, reused after."""

import numpy as np

from fcnn.engine.network import Network
from fcnn.engine.nodes import WeightNode


def test_a_forward_pass_alone_allocates_no_gradients():
    """Prediction and evaluation run forward only: with 10 layers of 512 units and chunks
    of 2048 rows, gradient buffers made there would more than double their memory."""
    net = Network(3, [16, 8], "tanh", "binary", rng=np.random.default_rng(0))
    net.predict(np.random.default_rng(1).normal(size=(50, 3)))
    assert all(node.gradients == {} for node in net.nodes if not isinstance(node, WeightNode))
    net.inputs.set_data(np.zeros((4, 3)))
    net.labels.set_data(np.ones((4, 1)))
    net.train_batch(np.arange(4))
    assert all(node.gradients for node in net.nodes if node.requires_grad and node is not net.loss)
