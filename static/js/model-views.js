// The views drawn from the model's weights: the graph line and node list, the Neurons face's
// weights and maps, and the Output column (the 2-D decision map, or predicted against actual on
// the test rows). Each refresh asks the engine for them in turn; one refresh is in flight at a
// time. While a run trains the slice loop starts refreshes without waiting for them
// (refreshModelViewsInBackground), so drawing never delays the next slice; a run's end, a step
// or a model loaded wait for theirs (redrawModelViews). A view off screen (a phone's other tab,
// the side panel over the output) is not asked for; it catches up when it is shown again.
import { $ } from "./dom.js";
import { drawNow, drawOnFrame } from "./frame-draw.js";
import { app } from "./page.js";
import { runState } from "./run-state.js";
import { drawBoundary } from "./views/boundary-heatmap.js";
import * as network from "./views/network-view.js";
import * as neuronMaps from "./views/neuron-maps.js";
import { showWeights } from "./views/neurons-view.js";
import { showOutputPlot } from "./views/output-plot.js";

// the refresh in flight: {engine, done}. One asked of an engine since replaced (recovery.js) is
// never waited for: a worker that stopped answering never settles its calls.
let refreshing = null;
const inFlight = () => (refreshing && refreshing.engine === app.engine ? refreshing : null);
// the output was due while off screen: drawn when it is shown again
let outputStale = false;

const outputOnScreen = () => $("output-view").offsetParent !== null;

async function drawGrid() {
  const grid = await app.engine.grid(40);
  if (!grid.ok) return;
  drawOnFrame("output", () => {
    $("boundary-view").hidden = false;
    drawBoundary($("boundary-canvas"), grid);
    const colour = grid.task === "regression" ? "colour: predicted value (blue low, orange high)" : "colour: predicted class";
    $("boundary-note").textContent = `${grid.features[0]} → across, ${grid.features[1]} ↑ up; ${colour}`;
  });
}

async function drawOutputPlot() {
  const answer = await app.engine.outputView();
  if (!answer.ok) return;
  drawOnFrame("output", () => {
    $("output-plot-view").hidden = false;
    showOutputPlot(answer);
  });
}

async function drawOutput() {
  if (!app.started) return;
  if (!outputOnScreen()) {
    outputStale = true;
    return;
  }
  outputStale = false;
  if (app.started.features.length === 2) await drawGrid();
  else await drawOutputPlot();
}

async function drawModelViews() {
  const view = await app.engine.networkView();
  if (view.ok) {
    drawOnFrame("network", () => {
      network.showNodes(view.nodes);
      showWeights(view.shown);
    });
  }
  if (app.started) await neuronMaps.refreshNeuronMaps(app.engine, { training: runState() === "training" });
  else neuronMaps.clearNeuronMaps("The neuron maps show a run trained on this page: press Train to see them.");
  await drawOutput();
}

// Draws the views from the model as the engine holds it now: after a refresh in flight (which
// may have asked before the last change), a fresh one. What it asked for is drawn at the next
// animation frame (frame-draw.js: at most one drawing a frame), or at once when the caller waits
// for it (`now`: a run's end, a step, a model loaded).
export async function redrawModelViews({ now = true } = {}) {
  while (inFlight()) await inFlight().done.catch(() => {}); // its own caller hears of its failure
  const mine = { engine: app.engine, done: drawModelViews().then(() => now && drawNow()) };
  refreshing = mine;
  try {
    await mine.done;
  } finally {
    if (refreshing === mine) refreshing = null;
  }
}

export const modelViewsRefreshing = () => inFlight() !== null;

// A refresh nobody waits for; none when one is in flight already.
export function refreshModelViewsInBackground() {
  if (!inFlight()) redrawModelViews({ now: false });
}

// The output column shown again (a sheet closed, a phone's tab): drawn now if it missed a drawing
// and no run's slices will draw it anyway.
export function catchUpOutput() {
  if (outputStale && app.engine && app.started && runState() !== "training" && outputOnScreen()) drawOutput();
}
