// Neuron maps: what each hidden unit computes, one small canvas a unit, one row a layer.
// Two features: the unit's output over the input plane (the engine's Session.neuron_maps grid).
// More features: the unit's histogram of activations over the test rows.
// The engine computes every number; this module only paints them.
//
// Cost: the maps are asked for only while they are on screen, and while training at most
// once per REFRESH_COST_SHARE of the training time (a call that took 20 ms waits for
// 20 / share ms of training), so they never slow training by more than a few per cent.
// Painting waits for the next animation frame; answers arriving before it replace each other.
// Maps of the same layers and units as those drawn are painted again in their canvases: the
// page's layout is left as it is while a run trains.
import { $, el, formatNumber } from "../dom.js";

const MAP_CELLS = 24; // the grid asked for: 24×24 outputs a unit
const REFRESH_COST_SHARE = 0.04;
const HISTOGRAM_WIDTH = 80;
const HISTOGRAM_HEIGHT = 44;

// what the colours mean for each activation: the output at the orange end, the middle (white), the blue end
const SCALES = {
  sigmoid: { low: 0, mid: 0.5, high: 1 },
  tanh: { low: -1, mid: 0, high: 1 },
};

const state = {
  visible: false,
  stale: false, // a refresh was skipped while off screen
  busy: false,
  engine: null,
  costMs: 0, // what the last refresh took
  trainedSinceMs: Infinity, // training time since the last refresh
  frame: 0,
  pending: null,
  drawnShape: null, // the kind, grid and units drawn: an answer of the same shape repaints in place
};

// When the maps scroll into view after a refresh was skipped, they catch up at once.
export function watchNeuronMaps() {
  const container = $("neuron-maps");
  const observer = new IntersectionObserver((entries) => {
    state.visible = entries.some((e) => e.isIntersecting);
    if (state.visible && state.stale && state.engine) refreshNeuronMaps(state.engine, { training: false });
  });
  observer.observe(container);
}

// Training time passed (run-controller's slices): the refresh budget grows with it.
export function countTraining(milliseconds) {
  state.trainedSinceMs += milliseconds;
}

export function clearNeuronMaps(text = "Train a network with hidden layers to see what each unit computes.") {
  state.engine = null;
  state.stale = false;
  state.pending = null;
  state.drawnShape = null;
  const container = $("neuron-maps");
  container.replaceChildren();
  delete container.dataset.epoch;
  delete container.dataset.kind;
  $("neuron-maps-note").textContent = text;
}

function dueNow(training) {
  if (!state.visible) {
    state.stale = true;
    return false;
  }
  if (state.busy) return false;
  return !training || state.trainedSinceMs * REFRESH_COST_SHARE >= state.costMs;
}

// Asks the engine for the maps when they are due; `training` says a run is between slices.
export async function refreshNeuronMaps(engine, { training }) {
  state.engine = engine;
  if (!dueNow(training)) return;
  state.busy = true;
  state.stale = false;
  const begun = performance.now();
  let answer;
  try {
    answer = await engine.neuronMaps(MAP_CELLS);
  } finally {
    state.busy = false;
  }
  state.costMs = performance.now() - begun;
  state.trainedSinceMs = 0;
  if (answer.crashed || state.engine !== engine) return; // cleared or replaced meanwhile
  if (!answer.ok) {
    clearNeuronMaps(`No neuron maps: ${answer.error}.`);
    return;
  }
  state.pending = answer;
  if (!state.frame) state.frame = requestAnimationFrame(paintPending);
}

function paintPending() {
  state.frame = 0;
  const answer = state.pending;
  state.pending = null;
  if (!answer || !state.engine) return;
  const container = $("neuron-maps");
  const shape = shapeOf(answer);
  if (shape === state.drawnShape) repaint(container, answer);
  else container.replaceChildren(...answer.layers.map((layer) => layerRow(answer, layer)));
  state.drawnShape = shape;
  $("neuron-maps-note").textContent = describe(answer);
  container.dataset.kind = answer.kind;
  container.dataset.epoch = String(answer.epoch); // set last: the maps of this epoch are drawn
}

const shapeOf = (answer) =>
  JSON.stringify([answer.kind, answer.size, answer.layers.map((l) => [l.layer, l.units, l.maps.map((m) => m.unit)])]);

// the maps drawn have this answer's shape: each canvas painted again, each range caption rewritten
function repaint(container, answer) {
  const canvases = container.querySelectorAll('canvas[data-testid="neuron-map"]');
  let at = 0;
  for (const layer of answer.layers) {
    const paint = answer.kind === "grid" ? gridPainter(answer, layer) : histogramPainter;
    for (const map of layer.maps) {
      const canvas = canvases[at++];
      const extra = paint(canvas, map);
      const range = canvas.nextElementSibling?.querySelector(".neuron-range");
      if (range) range.textContent = extra;
    }
  }
}

function describe(answer) {
  if (answer.kind === "none") return "This network has no hidden layer: its inputs go straight to the output.";
  if (answer.kind === "histogram") {
    return `Each unit's activations over the ${answer.n_rows} ${answer.rows} rows (${answer.bins} bins, ` +
      `range under each), epoch ${answer.epoch}. With two features each unit is drawn over the input plane instead.`;
  }
  const [across, up] = answer.features;
  const scale = SCALES[answer.activation];
  const range = scale ? `${scale.low} → ${scale.mid} → ${scale.high}` : "low → 0 → high, scaled per layer";
  const grid = answer.size < MAP_CELLS ? ` (${answer.size}×${answer.size} cells: coarser for a big network, to stay quick)` : "";
  return `Each unit's ${answer.activation} output over the plane${grid}: ${across} → across, ${up} ↑ up; ` +
    `colour orange → white → blue is ${range}; epoch ${answer.epoch}.`;
}

function layerRow(answer, layer) {
  const row = el("div", null, { class: "neuron-layer", "data-testid": "neuron-layer", "data-layer": String(layer.layer) });
  const shown = layer.maps.length;
  const title = shown < layer.units ? `layer ${layer.layer}: first ${shown} of ${layer.units} units` : `layer ${layer.layer}: ${layer.units} units`;
  row.append(el("p", title, { class: "neuron-layer-title" }));
  const maps = el("div", null, { class: "neuron-layer-maps" });
  const paint = answer.kind === "grid" ? gridPainter(answer, layer) : histogramPainter;
  for (const map of layer.maps) maps.append(unitFigure(layer.layer, map, paint));
  row.append(maps);
  return row;
}

function unitFigure(layerNumber, map, paint) {
  const name = `layer ${layerNumber} unit ${map.unit + 1}`;
  const figure = el("figure", null, { class: "neuron-map" });
  const canvas = el("canvas", null, {
    "data-testid": "neuron-map", "data-layer": String(layerNumber), "data-unit": String(map.unit + 1),
    role: "img", "aria-label": name,
  });
  const caption = el("figcaption", name);
  const extra = paint(canvas, map);
  if (extra) caption.append(el("span", extra, { class: "neuron-range" }));
  figure.append(canvas, caption);
  return figure;
}

// The colour scale of a layer: fixed for a bounded activation, else the layer's largest |output|.
function gridPainter(answer, layer) {
  let scale = SCALES[answer.activation];
  if (!scale) {
    let largest = 1e-12;
    for (const map of layer.maps) for (const v of map.values) if (v !== null) largest = Math.max(largest, Math.abs(v));
    scale = { low: -largest, mid: 0, high: largest };
  }
  return (canvas, map) => paintGrid(canvas, answer.size, map.values, scale);
}

// t in [-1, 1]: orange (#ff7f0e) at -1, white at 0, blue (#1f77b4) at 1, as the neuron view's weights
function colourOf(t) {
  const s = Math.max(-1, Math.min(1, t));
  const [r, g, b] = s < 0 ? [255, 127, 14] : [31, 119, 180];
  const k = Math.abs(s);
  return [255 + (r - 255) * k, 255 + (g - 255) * k, 255 + (b - 255) * k];
}

// a canvas keeps its size when repainted: setting it, even to the same value, clears and reallocates it
function sizeCanvas(canvas, width, height) {
  if (canvas.width !== width) canvas.width = width;
  if (canvas.height !== height) canvas.height = height;
}

function paintGrid(canvas, size, values, scale) {
  sizeCanvas(canvas, size, size);
  const ctx = canvas.getContext("2d");
  const image = ctx.createImageData(size, size);
  for (let r = 0; r < size; r++) {
    for (let c = 0; c < size; c++) {
      const v = values[r * size + c];
      const t = v === null ? 0 : v >= scale.mid ? (v - scale.mid) / (scale.high - scale.mid) : -(scale.mid - v) / (scale.mid - scale.low);
      const at = ((size - 1 - r) * size + c) * 4; // row 0 is the lowest y, drawn at the bottom
      const [red, green, blue] = colourOf(t);
      image.data.set([red, green, blue, v === null ? 0 : 255], at);
    }
  }
  ctx.putImageData(image, 0, 0);
  return "";
}

function histogramPainter(canvas, map) {
  sizeCanvas(canvas, HISTOGRAM_WIDTH, HISTOGRAM_HEIGHT);
  const ctx = canvas.getContext("2d");
  ctx.clearRect(0, 0, HISTOGRAM_WIDTH, HISTOGRAM_HEIGHT);
  const tallest = Math.max(1, ...map.counts);
  const bar = HISTOGRAM_WIDTH / map.counts.length;
  ctx.fillStyle = "#1f77b4";
  map.counts.forEach((count, i) => {
    const h = (count / tallest) * (HISTOGRAM_HEIGHT - 2);
    ctx.fillRect(i * bar + 0.5, HISTOGRAM_HEIGHT - h, Math.max(1, bar - 1), h);
  });
  const edges = map.edges;
  const short = (v) => formatNumber(Number(v.toPrecision(3))); // a caption under a 80-pixel drawing
  return `${short(edges[0])} – ${short(edges[edges.length - 1])}`;
}
