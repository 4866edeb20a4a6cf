// The Graph view's layout: dagre places the engine's nodes as a layered DAG, left to right.
// dagre (static/vendor/dagre/, pinned by scripts/vendor.py) is imported when the view first
// draws, so the page's start does not load it. Its default ranking (network simplex) keeps
// every edge as short as it can: a weight node, whose one edge goes to the linear node it
// feeds, lands in the column just before that node. Aligning each rank's nodes down-right keeps
// the chain X → linear → activation → … → loss on one straight line, the weights beside it
// (checked for 1 to 10 layers of 8 and 512 units, every activation and every task).

const NODE_HEIGHT = 50;
// about how wide one character of a box's lines is, in px: the name (12 px bold), kind and shape (11 px)
const CHAR_WIDTH = { name: 7.6, text: 6.4 };
const PADDING = 18;
const MIN_WIDTH = 76;

let dagreModule = null;

export function loadDagre() {
  dagreModule ??= import("../../vendor/dagre/dagre.esm.js");
  return dagreModule;
}

// the value shape as the box shows it: "batch × 4", "2 × 4", "scalar"
export function shapeText(shape) {
  return shape.length ? shape.join(" × ") : "scalar";
}

export function boxSize(node) {
  const widest = Math.max(
    node.name.length * CHAR_WIDTH.name,
    node.kind.length * CHAR_WIDTH.text,
    shapeText(node.shape).length * CHAR_WIDTH.text,
  );
  return { width: Math.ceil(Math.max(widest + PADDING, MIN_WIDTH)), height: NODE_HEIGHT };
}

// A Graph view answer (Session.graph_view) laid out: {width, height, boxes: Map name →
// {x, y, width, height} (x, y: the box's centre), edges: [{from, to, points: [{x, y}]}]}.
export async function layoutGraph(view) {
  const dagre = await loadDagre();
  const graph = new dagre.graphlib.Graph({ multigraph: true });
  graph.setGraph({ rankdir: "LR", align: "DR", nodesep: 14, ranksep: 32, edgesep: 8, marginx: 6, marginy: 6 });
  for (const node of view.nodes) graph.setNode(node.name, boxSize(node));
  view.edges.forEach(([from, to], index) => graph.setEdge(from, to, {}, `edge${index}`));
  dagre.layout(graph);
  const boxes = new Map(view.nodes.map((node) => {
    const { x, y, width, height } = graph.node(node.name);
    return [node.name, { x, y, width, height }];
  }));
  const edges = view.edges.map(([from, to], index) => ({ from, to, points: graph.edge(from, to, `edge${index}`).points }));
  const { width, height } = graph.graph();
  return { width: Math.ceil(width), height: Math.ceil(height), boxes, edges };
}
