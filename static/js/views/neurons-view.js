// The Neurons face: the network as TensorFlow Playground draws it. A column for the inputs, one
// for each hidden layer and one for the outputs; each hidden unit is a small picture of what it
// computes (its output over the input plane with two features, its histogram of activations with
// more), and the weights between the units drawn are lines, blue positive and orange negative,
// wider when larger. A column of more than `unitsDrawn` units draws the first ones and a
// "+N more" button, which lists the rest (onMore). The layer editor (model-panel.js) is the row
// of column heads above, so layers and units are edited on the drawing itself.
//
// It draws what it is given: the spec (which columns and units), the weights among the units
// drawn (Session.network_view's `shown`), the maps (Session.neuron_maps). A spec of the settings
// (source "planned") is drawn greyed, with thin grey lines: no run has these weights yet.
// After a drawing of maps, #neuron-maps gets data-kind and data-epoch (set last).
// Every name goes in through textContent: input and class names come from the user's file.
import { $, el, formatNumber, svg } from "../dom.js";
import { layerScale, paintGrid, paintHistogram, paintInputMap } from "./unit-paint.js";

const GAP_PX = 4;
const MIN_UNIT_PX = 12;
const MAX_UNIT_PX = 64;

const view = {
  unitsDrawn: 12,
  spec: null,
  specKey: "",
  columns: [], // [{kind, layer, size, names, drawn, units: [element]}]
  edges: [], // [[line, …] per pair of columns]
  weights: null, // the last `shown` matrices
  maps: null, // the last neuron_maps answer painted
  onMore: () => {},
};

const container = () => $("neuron-maps");
const edgesSvg = () => $("neuron-view");

export function configureNeuronsView({ unitsDrawn, onMore }) {
  if (unitsDrawn) view.unitsDrawn = unitsDrawn;
  if (onMore) view.onMore = onMore;
  new ResizeObserver(() => fit()).observe(container());
  document.addEventListener("fcnn:theme", () => {
    paintInputs();
    if (view.maps) showMaps(view.maps);
  });
}

// the run's drawing is on screen (not a plan of other settings): its weights and maps belong to it
export const drawsRun = () => view.spec?.source === "run";

function columnsOf(spec) {
  const columns = [{ kind: "input", layer: 0, size: spec.inputs.length, names: spec.inputs }];
  spec.hidden.forEach((size, i) => columns.push({ kind: "hidden", layer: i + 1, size }));
  columns.push({ kind: "output", layer: spec.hidden.length + 1, size: spec.outputs.length, names: spec.outputs });
  for (const column of columns) column.drawn = Math.min(column.size, view.unitsDrawn);
  return columns;
}

function unitElement(column, index, twoD) {
  const unit = el("div", null, {
    class: "unit", "data-testid": "neuron", "data-kind": column.kind, "data-layer": String(column.layer), "data-unit": String(index + 1),
  });
  const box = el("span", null, { class: "unit-box" });
  if (column.kind === "hidden") {
    const name = `layer ${column.layer} unit ${index + 1}`;
    box.append(el("canvas", null, { "data-testid": "neuron-map", "data-layer": String(column.layer), "data-unit": String(index + 1), role: "img", "aria-label": name }));
    unit.title = name;
    unit.append(box);
    return unit;
  }
  const name = String(column.names[index]);
  unit.title = column.kind === "input" ? `input: ${name}` : `output: ${name}`;
  if (column.kind === "input" && twoD) box.append(el("canvas", null, { "data-input": String(index), "aria-hidden": "true" }));
  const label = el("span", name, { class: "unit-name" });
  if (column.kind === "input") unit.append(label, box);
  else unit.append(box, label);
  return unit;
}

function columnElement(column, index, twoD) {
  const node = el("div", null, { class: "neuron-column", "data-kind": column.kind, "data-column": String(index) });
  column.units = [];
  for (let i = 0; i < column.drawn; i++) {
    const unit = unitElement(column, i, twoD);
    column.units.push(unit);
    node.append(unit);
  }
  if (column.size > column.drawn) {
    const hidden = column.size - column.drawn;
    const what = column.kind === "input" ? "inputs" : "units";
    const more = el("button", `+${hidden} more`, {
      type: "button", class: "secondary more-units", "data-testid": "more-units", "data-column": String(index),
      "aria-label": `${hidden} more ${what} of ${headText(column)}: list them`,
    });
    more.addEventListener("click", () => view.onMore(moreOf(column)));
    node.append(more);
  }
  return node;
}

function headText(column) {
  if (column.kind === "input") return `${column.size} ${column.size === 1 ? "input" : "inputs"}`;
  if (column.kind === "output") return `${column.size} ${column.size === 1 ? "output" : "outputs"}`;
  return `layer ${column.layer}`;
}

// what "+N more" lists: {title, kind, layer, names (inputs and outputs) or first/last unit numbers}
function moreOf(column) {
  const from = column.drawn;
  const title = `${headText(column)}: the ${column.size - from} not drawn`;
  if (column.names) return { title, kind: column.kind, layer: column.layer, names: column.names.slice(from).map(String), first: from + 1 };
  return { title, kind: column.kind, layer: column.layer, first: from + 1, last: column.size };
}

// The columns for `spec` {inputs: [names], hidden: [widths], outputs: [names], source, twoD}:
// built afresh when they differ from those drawn; the weights and maps of another spec are dropped.
export function showSpec(spec) {
  const key = JSON.stringify([spec.inputs, spec.hidden, spec.outputs, spec.source, spec.twoD]);
  setHeads(spec);
  if (key === view.specKey) return;
  view.spec = spec;
  view.specKey = key;
  view.weights = null;
  view.maps = null;
  view.columns = columnsOf(spec);
  const box = container();
  const template = view.columns.map((c) => (c.kind === "hidden" ? "minmax(0, 1fr)" : "minmax(0, 1.2fr)")).join(" ");
  box.closest(".neurons").style.setProperty("--neuron-columns", template);
  box.replaceChildren(edgesSvg(), ...view.columns.map((column, i) => columnElement(column, i, spec.twoD)));
  box.dataset.source = spec.source;
  delete box.dataset.kind;
  delete box.dataset.epoch;
  for (const unit of box.querySelectorAll(".unit")) unit.dataset.state = spec.source === "run" ? "run" : "planned";
  paintInputs();
  buildEdges();
  fit();
}

function setHeads(spec) {
  const inputs = spec.inputs.length;
  const outputs = spec.outputs.length;
  const first = $("layer-head-in");
  const last = $("layer-head-out");
  if (first) first.textContent = `${inputs} ${inputs === 1 ? "input" : "inputs"}`;
  if (last) last.textContent = `${outputs} ${outputs === 1 ? "output" : "outputs"}`;
}

function paintInputs() {
  for (const canvas of container().querySelectorAll("canvas[data-input]")) paintInputMap(canvas, canvas.dataset.input === "0");
}

function buildEdges() {
  const lines = [];
  view.edges = [];
  for (let c = 0; c + 1 < view.columns.length; c++) {
    const pair = [];
    for (let i = 0; i < view.columns[c].drawn; i++) {
      for (let j = 0; j < view.columns[c + 1].drawn; j++) {
        const line = svg("line", { class: "neuron-edge none", "data-testid": "neuron-edge", "data-layer": String(c), "data-from": String(i), "data-to": String(j) });
        pair.push(line);
        lines.push(line);
      }
    }
    view.edges.push(pair);
  }
  edgesSvg().replaceChildren(...lines);
  paintEdges();
}

// The unit boxes sized to the room the drawing has, then each line put between its two boxes.
function fit() {
  const box = container();
  if (!view.columns.length || !box.offsetParent) return;
  const height = box.clientHeight;
  const tallest = Math.max(1, ...view.columns.map((c) => c.drawn + (c.size > c.drawn ? 1 : 0)));
  const widest = box.clientWidth / Math.max(1, view.columns.length);
  let size = Math.floor((height - (tallest - 1) * GAP_PX) / tallest);
  size = Math.max(MIN_UNIT_PX, Math.min(MAX_UNIT_PX, size, Math.floor(widest * 0.8)));
  box.style.setProperty("--unit-size", `${size}px`);
  box.style.setProperty("--unit-gap", `${GAP_PX}px`);
  placeEdges();
}

function placeEdges() {
  const box = container();
  const frame = box.getBoundingClientRect();
  if (!frame.width) return;
  const svgNode = edgesSvg();
  svgNode.setAttribute("viewBox", `0 0 ${frame.width.toFixed(1)} ${frame.height.toFixed(1)}`);
  const anchors = view.columns.map((column) => column.units.map((unit) => {
    const r = unit.querySelector(".unit-box").getBoundingClientRect();
    return { left: r.left - frame.left, right: r.right - frame.left, y: r.top + r.height / 2 - frame.top };
  }));
  view.edges.forEach((pair, c) => {
    for (const line of pair) {
      const from = anchors[c][Number(line.dataset.from)];
      const to = anchors[c + 1][Number(line.dataset.to)];
      line.setAttribute("x1", from.right.toFixed(1));
      line.setAttribute("y1", from.y.toFixed(1));
      line.setAttribute("x2", to.left.toFixed(1));
      line.setAttribute("y2", to.y.toFixed(1));
    }
  });
}

function paintEdges() {
  const shown = view.weights;
  let largest = 1e-12;
  if (shown) for (const matrix of shown) for (const line of matrix) for (const w of line) largest = Math.max(largest, Math.abs(w));
  view.edges.forEach((pair, c) => {
    const matrix = shown?.[c];
    for (const line of pair) {
      const w = matrix?.[Number(line.dataset.from)]?.[Number(line.dataset.to)];
      if (w === undefined || w === null) {
        line.setAttribute("class", "neuron-edge none");
        line.setAttribute("stroke-width", "0.6");
        line.setAttribute("stroke-opacity", "0.5");
        line.style.stroke = "var(--none)";
        delete line.dataset.weight;
        continue;
      }
      line.style.stroke = "";
      line.setAttribute("class", `neuron-edge ${w >= 0 ? "pos" : "neg"}`);
      line.setAttribute("stroke-width", (0.4 + 3.6 * (Math.abs(w) / largest)).toFixed(2));
      line.setAttribute("stroke-opacity", (0.35 + 0.6 * (Math.abs(w) / largest)).toFixed(2));
      line.dataset.weight = String(w);
    }
  });
}

// The weights among the units drawn: shown[l][from][to] = W(l+1)[from][to], from the network's
// own weight nodes (the engine sends the first unitsDrawn rows and columns of each matrix).
export function showWeights(shown) {
  if (!drawsRun()) return;
  view.weights = shown;
  paintEdges();
}

// Paints a neuron_maps answer into the hidden units' boxes: same layers and units, painted in place.
export function showMaps(answer) {
  if (!drawsRun()) return false;
  view.maps = answer;
  const box = container();
  for (const layer of answer.layers || []) {
    const scale = answer.kind === "grid" ? layerScale(answer.activation, layer.maps) : null;
    for (const map of layer.maps) {
      const canvas = box.querySelector(`canvas[data-testid="neuron-map"][data-layer="${layer.layer}"][data-unit="${map.unit + 1}"]`);
      if (!canvas) continue;
      const name = `layer ${layer.layer} unit ${map.unit + 1}`;
      if (answer.kind === "grid") {
        paintGrid(canvas, answer.size, map.values, scale);
        canvas.setAttribute("aria-label", `${name}: its output over the plane`);
      } else {
        const range = paintHistogram(canvas, map);
        canvas.setAttribute("aria-label", `${name}: histogram of its activations, ${range}`);
        canvas.closest(".unit").title = `${name}: activations ${range}`;
      }
    }
  }
  box.dataset.kind = answer.kind;
  box.dataset.epoch = String(answer.epoch); // set last: the maps of this epoch are drawn
  return true;
}

// The maps and weights forgotten (a reset): the units go grey, the lines thin.
export function clearRunDrawing() {
  view.weights = null;
  view.maps = null;
  const box = container();
  for (const canvas of box.querySelectorAll('canvas[data-testid="neuron-map"]')) canvas.getContext("2d").clearRect(0, 0, canvas.width, canvas.height);
  delete box.dataset.kind;
  delete box.dataset.epoch;
  paintEdges();
}

// The list "+N more" opens: the names of inputs or outputs, or unit numbers with their figures
// (units: [{unit, bias, weight_norm}] from Session.layer_units, when the run has weights).
export function moreListElements(more, units = null) {
  const list = el("ol", null, { class: "more-list", start: String(more.first), "data-testid": "more-list" });
  if (more.names) {
    for (const name of more.names) list.append(el("li", name));
    return [list];
  }
  const byUnit = new Map((units || []).map((u) => [u.unit, u]));
  for (let u = more.first; u <= more.last; u++) {
    const figures = byUnit.get(u);
    const text = figures ? `unit ${u}: bias ${formatNumber(figures.bias)}, ‖incoming weights‖ ${formatNumber(figures.weight_norm)}` : `unit ${u}`;
    list.append(el("li", text));
  }
  return [list];
}
