"""Ordering the graph and running it: topological sort, forward and backward passes."""

from __future__ import annotations

from collections import deque

from ..errors import GraphError


def connected_nodes(nodes):
    """Every node reachable from ``nodes`` along inbound or outbound edges,
    breadth first, so the order found follows the data from the inputs."""
    seen, queue = {}, deque(nodes)
    while queue:
        node = queue.popleft()
        if id(node) in seen:
            continue
        seen[id(node)] = node
        queue.extend(node.inbound_nodes)
        queue.extend(node.outbound_nodes)
    return list(seen.values())


def topological_sort(nodes):
    """Order the graph so that each node comes after all of its inbound nodes.

    Kahn's algorithm: repeatedly take a node none of whose inbound nodes is
    still waiting. Nodes left over at the end sit on a cycle, which is refused.
    Ties keep the order in which nodes were found, so the result is stable.
    """
    graph = connected_nodes(nodes)
    waiting = {id(n): len(n.inbound_nodes) for n in graph}
    ready = deque(n for n in graph if waiting[id(n)] == 0)
    order = []
    while ready:
        node = ready.popleft()
        order.append(node)
        for out in node.outbound_nodes:
            waiting[id(out)] -= 1
            if waiting[id(out)] == 0:
                ready.append(out)
    if len(order) != len(graph):
        stuck = sorted(n.name for n in graph if waiting[id(n)] > 0)
        raise GraphError(
            "the graph has a cycle, so no node order runs every node after its inputs; "
            f"nodes on or after the cycle: {', '.join(stuck)}. Remove the edge that loops back."
        )
    return order


def compile_passes(sorted_nodes):
    """The forward and backward lists with the nodes whose pass does nothing left out:
    inputs and weights compute nothing forward, and inputs and single-consumer
    weights nothing backward. Same order, less Python per mini-batch."""
    from .nodes import InputNode, WeightNode

    forward = [n for n in sorted_nodes if not isinstance(n, (InputNode, WeightNode))]
    backward = [
        n for n in reversed(sorted_nodes)
        if not isinstance(n, InputNode) and not (isinstance(n, WeightNode) and len(n.outbound_nodes) == 1)
    ]
    return forward, backward


def forward_pass(sorted_nodes):
    """Run ``forward`` on every node, inputs first."""
    for node in sorted_nodes:
        node.forward()


def backward_pass(sorted_nodes):
    """Run ``backward`` on every node in reverse order: the chain rule, loss first."""
    for node in reversed(sorted_nodes):
        node.backward()
