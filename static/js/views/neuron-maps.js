// When the neuron maps are asked for: what each hidden unit computes, painted into the units of
// the Neurons face (neurons-view.js). Two features: the unit's output over the input plane (the
// engine's Session.neuron_maps grid). More features: the unit's histogram of activations.
//
// Cost: the maps are asked for only while the Neurons face is on screen and draws the run's
// network, and while training at most once per REFRESH_COST_SHARE of the training time (a call
// that took 20 ms waits for 20 / share ms of training), so they never slow training by more than
// a few per cent. Painting waits for the next animation frame (frame-draw.js); answers arriving
// before it replace each other.
import { $ } from "../dom.js";
import { drawOnFrame } from "../frame-draw.js";
import { drawsRun, showMaps } from "./neurons-view.js";

const MAP_CELLS = 24; // the grid asked for: 24×24 outputs a unit
const REFRESH_COST_SHARE = 0.04;

const state = {
  visible: false,
  stale: false, // a refresh was skipped while off screen
  busy: false,
  engine: null,
  costMs: 0, // what the last refresh took
  trainedSinceMs: Infinity, // training time since the last refresh
  pending: null,
};

// When the maps come into view (the face or the tab shown) after a refresh was skipped, they catch up.
export function watchNeuronMaps() {
  const observer = new IntersectionObserver((entries) => {
    state.visible = entries.some((e) => e.isIntersecting);
    if (state.visible && state.stale && state.engine) refreshNeuronMaps(state.engine, { training: false });
  });
  observer.observe($("neuron-maps"));
}

// Training time passed (run-controller's slices): the refresh budget grows with it.
export function countTraining(milliseconds) {
  state.trainedSinceMs += milliseconds;
}

export function clearNeuronMaps(text = "Train a network with hidden layers to see what each unit computes.") {
  state.engine = null;
  state.stale = false;
  state.pending = null;
  $("neuron-maps-note").textContent = text;
}

function dueNow(training) {
  if (!state.visible || !drawsRun()) {
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
  drawOnFrame("neuron-maps", paintPending);
}

function paintPending() {
  const answer = state.pending;
  state.pending = null;
  if (!answer || !state.engine) return;
  if (showMaps(answer)) $("neuron-maps-note").textContent = describe(answer);
}

function describe(answer) {
  if (answer.kind === "none") return "This network has no hidden layer: its inputs go straight to the output.";
  if (answer.kind === "histogram") {
    return `Each hidden unit: its activations over the ${answer.n_rows} ${answer.rows} rows (${answer.bins} bins; ` +
      `hover for the range), epoch ${answer.epoch}. With two features each unit is drawn over the input plane instead.`;
  }
  const [across, up] = answer.features;
  const grid = answer.size < MAP_CELLS ? ` (${answer.size}×${answer.size} cells, to stay quick)` : "";
  return `Each hidden unit: its ${answer.activation} output over the plane${grid}, ${across} → across, ${up} ↑ up; ` +
    `orange low, blue high; epoch ${answer.epoch}. Lines: the weights, blue +, orange −, wider when larger.`;
}
