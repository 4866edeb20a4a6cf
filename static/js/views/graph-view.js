// The Graph view: the engine's own node graph (Session.graph_view) drawn as boxes and arrows,
// left to right in topological order. Choosing a node (click, Enter or Space) shows its
// kind's docstring, the forward and backward formulas, and tells the page (fcnn:node-chosen
// {name}); the trace panel's fcnn:trace-step {name, phase} marks the node it is at.
//
// It draws only while on screen: a change while the panel is off screen is drawn when it
// comes into view. While a run trains it asks the engine nothing unless its drawing is missing
// or of other settings: the run's own graph (the same network) is asked for once, when the run
// pauses or ends, so the view never takes the worker's time from training.
// After each drawing the container gets data-drawn (a counter) and data-signature, and the
// page gets fcnn:graph-drawn {nodes, edges, source, signature}.
// Every name goes in through textContent: node names may come from the user's columns.
import { sentence, svg } from "../dom.js";
import { emit } from "../events.js";
import { layoutGraph, shapeText } from "./graph-layout.js";

const DEBOUNCE_MS = 120;
// the settings the drawn graph depends on (any other change leaves it as it is)
const GRAPH_SETTINGS = ["target", "features", "task", "test_fraction", "scaling", "hidden_layers", "activation", "seed"];
const SOURCE_NOTES = {
  run: "The current run's network: the node objects the engine trains.",
  settings: "The network these settings build (drawn from the engine's nodes; Train starts it).",
};

const keyOf = (config) => JSON.stringify(GRAPH_SETTINGS.map((name) => config[name]));

// FNV-1a of the nodes and edges drawn: equal graphs, equal signatures
function signatureOf(view) {
  const text = view.nodes.map((n) => `${n.name}:${n.kind}:${n.shape.join("x")}`).join(",")
    + "|" + view.edges.map((e) => e.join(">")).join(",");
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return hash.toString(16).padStart(8, "0");
}

function describe(node) {
  const parts = [node.name, node.kind, `shape ${shapeText(node.shape)}`];
  if (node.role) parts.push(`the ${node.role} of layer ${node.layer}, feeding ${node.feeds}`);
  return parts.join(", ");
}

function nodeBox(node, box) {
  const group = svg("g", {
    class: "graph-node", "data-node": node.name, "data-kind": node.kind, "data-category": node.category,
    transform: `translate(${(box.x - box.width / 2).toFixed(1)},${(box.y - box.height / 2).toFixed(1)})`,
    tabindex: "0", role: "button", "aria-label": describe(node),
  });
  group.append(svg("rect", { width: box.width, height: box.height, rx: 6 }));
  const lines = [[node.name, "graph-node-name", 17], [node.kind, "graph-node-kind", 31], [shapeText(node.shape), "graph-node-shape", 44]];
  for (const [text, className, y] of lines) {
    const line = svg("text", { x: 8, y, class: className });
    line.textContent = text;
    group.append(line);
  }
  return group;
}

function edgePath(edge) {
  const d = edge.points.map((p, i) => `${i ? "L" : "M"}${p.x.toFixed(1)},${p.y.toFixed(1)}`).join(" ");
  return svg("path", { d, class: "graph-edge", "data-edge-from": edge.from, "data-edge-to": edge.to, "marker-end": "url(#graph-arrow)" });
}

function arrowMarker() {
  const defs = svg("defs");
  const marker = svg("marker", { id: "graph-arrow", viewBox: "0 0 10 10", refX: 9, refY: 5, markerWidth: 9, markerHeight: 9, markerUnits: "userSpaceOnUse", orient: "auto-start-reverse" }); // one size, however wide the arrow
  marker.append(svg("path", { d: "M0,0 L10,5 L0,10 z", class: "graph-arrow-head" }));
  defs.append(marker);
  return defs;
}

function drawSvg(canvas, view, layout) {
  canvas.setAttribute("viewBox", `0 0 ${layout.width} ${layout.height}`);
  canvas.setAttribute("width", String(layout.width));
  canvas.setAttribute("height", String(layout.height));
  canvas.replaceChildren(
    arrowMarker(),
    ...layout.edges.map(edgePath),
    ...view.nodes.map((node) => nodeBox(node, layout.boxes.get(node.name))),
  );
}

// The view on its container (index.html's data-testid="graph-view"). engine(): the engine
// handle or null; readConfig(): the settings as Train would send them.
class GraphView {
  constructor(container, engine, readConfig) {
    Object.assign(this, { container, engine, readConfig });
    this.note = container.querySelector("[data-graph-note]");
    this.scroll = container.querySelector("[data-graph-scroll]");
    this.canvas = container.querySelector("svg");
    // the chosen node's formulas are shown in the side panel (workspace.js), beside the drawing
    this.docTitle = document.querySelector("[data-graph-doc-title]");
    this.doc = document.querySelector('[data-testid="graph-node-doc"]');
    Object.assign(this, { visible: false, dirty: false, timer: 0, busy: false, lastKey: null, drawn: 0 });
    Object.assign(this, { view: null, current: null, chosen: null, training: false, drawnKey: null });
  }

  groups() {
    return [...this.canvas.querySelectorAll("g[data-node]")];
  }

  // the chosen node's formulas (its kind's docstring); false when the graph has no such node
  showDoc(name) {
    const node = this.view?.nodes.find((n) => n.name === name);
    if (!node) return false;
    this.chosen = name;
    for (const g of this.groups()) g.toggleAttribute("data-chosen", g.dataset.node === name);
    this.docTitle.textContent = `${node.name} · ${node.kind}`;
    this.doc.textContent = this.view.docs[node.kind] || "";
    this.doc.dataset.node = name;
    return true;
  }

  // the user chose a node: its formulas, and the page is told (the trace panel jumps to it)
  choose(name) {
    if (this.showDoc(name)) emit("fcnn:node-chosen", { name });
  }

  // The trace panel's current node: marked (aria-current="step"), the arrows it reads from
  // (forward: its inbound edges, flowing in) or sends back along (backward: the same edges,
  // flowing out) animated, and scrolled to when the graph is larger than its frame.
  markCurrent(name, phase) {
    this.current = name ? { name, phase } : null;
    let marked = null;
    for (const g of this.groups()) {
      const here = g.dataset.node === name;
      if (here) g.setAttribute("data-current", "true");
      else g.removeAttribute("data-current");
      if (here) g.setAttribute("aria-current", "step");
      else g.removeAttribute("aria-current");
      if (here && phase) g.setAttribute("data-phase", phase);
      else g.removeAttribute("data-phase");
      if (here) marked = g;
    }
    const flowing = phase === "forward" || phase === "backward" ? phase : null;
    for (const edge of this.canvas.querySelectorAll("path.graph-edge")) {
      if (flowing && name && edge.dataset.edgeTo === name) edge.setAttribute("data-flow", flowing);
      else edge.removeAttribute("data-flow");
    }
    if (marked) this.scrollTo(marked);
  }

  scrollTo(group) {
    const box = group.getBoundingClientRect();
    const frame = this.scroll.getBoundingClientRect();
    if (this.scroll.scrollWidth > this.scroll.clientWidth) this.scroll.scrollLeft += box.left + box.width / 2 - (frame.left + frame.width / 2);
    if (this.scroll.scrollHeight > this.scroll.clientHeight) this.scroll.scrollTop += box.top + box.height / 2 - (frame.top + frame.height / 2);
  }

  clearDoc() {
    this.chosen = null;
    this.docTitle.textContent = "";
    this.doc.textContent = "";
    delete this.doc.dataset.node;
  }

  showProblem(answer) {
    this.view = null;
    this.clearDoc();
    this.canvas.replaceChildren();
    this.canvas.setAttribute("width", "0");
    this.canvas.setAttribute("height", "0");
    const empty = /no data is loaded/.test(answer.error);
    this.container.dataset.state = empty ? "empty" : "error";
    this.note.textContent = empty ? "Load data to see the network's graph." : `The graph cannot be drawn: ${sentence(answer.error)}`;
  }

  async show(answer) {
    if (!answer.ok) {
      if (!answer.crashed) this.showProblem(answer); // a crashed engine: recovery.js tells the user
      return;
    }
    const layout = await layoutGraph(answer);
    this.view = answer;
    drawSvg(this.canvas, answer, layout);
    this.note.textContent = `${SOURCE_NOTES[answer.source] || ""} ${answer.nodes.length} nodes, ${answer.edges.length} edges.`;
    if (this.chosen && !this.showDoc(this.chosen)) this.clearDoc(); // the chosen node is kept when it is still there
    if (this.current) this.markCurrent(this.current.name, this.current.phase);
    const signature = signatureOf(answer);
    Object.assign(this.container.dataset, { state: "drawn", drawn: String(++this.drawn), signature, source: answer.source });
    emit("fcnn:graph-drawn", { nodes: answer.nodes.length, edges: answer.edges.length, source: answer.source, signature });
  }

  async refresh() {
    const engine = this.engine();
    if (this.busy || !engine) return; // a drawing in progress looks again when it ends
    this.busy = true;
    this.dirty = false;
    const config = this.readConfig();
    try {
      await this.show(await engine.graphView(config));
      if (this.container.dataset.state === "drawn") this.drawnKey = keyOf(config);
    } finally {
      this.busy = false;
      if (this.dirty) this.schedule();
    }
  }

  // a run trains and the drawing shows its settings' network: the run's own waits for its end
  waitsForRun() {
    return this.training && this.container.dataset.state === "drawn" && this.drawnKey === this.lastKey;
  }

  schedule() {
    if (!this.visible || this.waitsForRun()) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.refresh(), DEBOUNCE_MS);
  }

  // A change of the settings the graph depends on; with force (new data, a new run) any call.
  request({ force = false } = {}) {
    const key = keyOf(this.readConfig());
    if (!force && key === this.lastKey) return;
    this.lastKey = key;
    this.dirty = true;
    // until it is drawn (it draws only on screen), say it is coming rather than "load data"
    if (this.container.dataset.state !== "drawn") this.note.textContent = "The graph is drawn when the Nodes face is shown…";
    this.schedule();
  }

  listen() {
    this.canvas.addEventListener("click", (event) => {
      const group = event.target.closest("g[data-node]");
      if (group) this.choose(group.dataset.node);
    });
    this.canvas.addEventListener("keydown", (event) => {
      const group = event.target.closest?.("g[data-node]");
      if (!group || (event.key !== "Enter" && event.key !== " ")) return;
      event.preventDefault(); // Space would scroll the page
      this.choose(group.dataset.node);
    });
    document.addEventListener("fcnn:trace-step", (event) => this.markCurrent(event.detail?.name ?? null, event.detail?.phase ?? null));
    // a new run (not a resume): its network is drawn once it pauses or ends (waitsForRun)
    document.addEventListener("fcnn:run-state", ({ detail }) => {
      this.training = detail.state === "training";
      if (this.training && detail.previous !== "paused") this.request({ force: true });
      else if (detail.previous === "training" && this.dirty) this.schedule();
    });
    new IntersectionObserver((entries) => {
      this.visible = entries.some((entry) => entry.isIntersecting);
      if (this.visible && this.dirty) this.schedule();
      // scrolled away before its drawing began: it waits, still dirty, until it is on screen again
      if (!this.visible) clearTimeout(this.timer);
    }).observe(this.container);
  }
}

export function createGraphView(container, { engine, readConfig }) {
  const view = new GraphView(container, engine, readConfig);
  view.listen();
  return view;
}
