// The run: start, training in slices, pause, resume, step, stop, reset, and the results at
// its end. Its state lives in run-state.js, which announces every transition.
import { $ } from "./dom.js";
import { emit, emitProgress } from "./events.js";
import { drawNow, drawOnFrame, dropDrawing } from "./frame-draw.js";
import { app, exampleRow, showError, showStatus, updateControls } from "./page.js";
import { holdModel } from "./held.js";
import { modelViewsRefreshing, redrawModelViews, refreshModelViewsInBackground } from "./model-views.js";
import { askStop, runState, setRunState, stopWasAsked } from "./run-state.js";
import { readConfig, shareHash, updateShareLink } from "./share-link.js";
import { pushUrlState } from "./url-state.js";
import * as dataPanel from "./views/data-panel.js";
import * as neuronMaps from "./views/neuron-maps.js";
import { clearRunDrawing } from "./views/neurons-view.js";
import { clearOutputPlot } from "./views/output-plot.js";
import * as results from "./views/results-view.js";
import * as table from "./views/table-view.js";
import * as whatIf from "./views/what-if.js";

export { redrawModelViews };

// Training runs in slices, so Pause and Stop wait at most one slice. A slice is this long when
// another engine call waits for its turn (a view's refresh, the user's action), and grows toward
// SLICE_MAX_MS while none does: fewer round trips to the worker.
const SLICE_MS = 80;
const SLICE_MAX_MS = 120;
// Weights, the 2-D grid and the neuron maps travel from the worker once per this much training
// (the slices' asked time: four slices of SLICE_MS, as before slices grew): drawing stays cheap.
const REDRAW_EVERY_MS = 4 * SLICE_MS;

// The engine's loss in the units the page shows it in: a regression's MSE in the target's own
// units² (the engine trains on a standardised target; Session.start says the factor), else as is.
const shownLoss = (loss) => (loss === null || loss === undefined ? loss : loss * (app.started?.loss_scale ?? 1));

// four significant digits, so a loss of 0.003274 and one of 0.002715 are told apart
function significant(value) {
  const abs = Math.abs(value);
  if (!Number.isFinite(value) || abs === 0) return String(value);
  return abs >= 1e-4 && abs < 1e6 ? String(Number(value.toPrecision(4))) : value.toExponential(3);
}

function showProgress(epoch, loss) {
  $("epoch-counter").textContent = String(epoch);
  $("epoch-total").textContent = app.started ? `of ${app.started.config.epochs}` : "";
  const shown = shownLoss(loss);
  // four significant digits: a loss of 0.0033 and one of 0.0027 are told apart
  $("loss-value").textContent = shown === null || shown === undefined ? "–" : significant(shown);
  $("loss-value").dataset.scale = String(app.started?.loss_scale ?? 1); // engine's loss × scale = the loss shown
  $("loss-unit").textContent = app.started?.loss_label ? `(${app.started.loss_label})` : "";
}

function showTiming() {
  if (!app.started) return; // drawn at a frame after the run was reset
  const seconds = app.timing.elapsedMs / 1000;
  $("elapsed").textContent = `${seconds.toFixed(1)} s`;
  $("samples-per-second").textContent =
    seconds > 0 ? `${Math.round((app.timing.epochs * app.started.n_train) / seconds)} samples/s` : "– samples/s";
}

// one progress report from the engine: announced at once, drawn at the next animation frame
// (a caller outside the slice loop draws it at once with drawNow)
function takeEpochs(answer) {
  emitProgress(answer.epochs, answer.finished, answer.stop_reason, answer);
  if (!answer.epochs.length) return;
  const last = answer.epochs[answer.epochs.length - 1];
  app.timing.epochs += answer.epochs.length;
  drawOnFrame("progress", () => showProgress(last[0], last[1]));
  app.chart.append(answer.epochs.map(([epoch, loss, val]) => [epoch, shownLoss(loss), shownLoss(val)]));
}

// what a run before drew at its last frame is no longer this run's
function dropProgressDrawings() {
  dropDrawing("progress");
  dropDrawing("timing");
}

function showStarted(started) {
  showError("");
  $("model-info").textContent = ""; // a model file loaded before is no longer the one that predicts
  app.started = started;
  app.target = started.config.target;
  app.features = started.features;
  app.hasModel = true;
  app.tracedSteps = 0;
  pushUrlState(shareHash()); // a run started is a history entry: Back returns to the settings before it
  updateShareLink();
  dataPanel.showTask(started);
  results.clearResults();
  table.clearPredictions();
  dropProgressDrawings();
  app.chart.reset(started.loss_label);
  app.normsChart.reset();
  neuronMaps.clearNeuronMaps("Drawing the neuron maps…");
  clearRunDrawing(); // the maps and weights of a run before are not this one's, even on the same network
  showOutputKind(started.features.length === 2 ? "map" : "plot");
  showProgress(0, null);
  app.timing = { elapsedMs: 0, epochs: 0 };
  app.classes = started.classes || [];
  whatIf.showWhatIf(started.feature_fields, exampleRow());
  $("model-source").textContent = `These predict with the model of the run on ${$("dataset-info").textContent.split(":")[0]} ` +
    `(predicting ${started.config.target}), until a new run or a model file replaces it.`;
  emit("fcnn:run-started", { features: started.features.length });
}

// The Output column's view: the 2-D map, the predicted-against-actual plot, or none yet.
function showOutputKind(kind) {
  $("boundary-view").hidden = kind !== "map";
  $("output-plot-view").hidden = kind !== "plot";
  $("output-empty").hidden = kind !== "none";
  if (kind !== "plot") clearOutputPlot();
}

// A new run with the controls' settings; answers whether it started.
async function beginRun() {
  // the run is in progress from the moment it is asked for: an engine failing while it
  // starts loses it as surely as one failing mid-run
  const before = runState();
  setRunState("training");
  updateControls();
  const started = await app.engine.start(readConfig());
  if (started.crashed) return false; // the crash handler (recovery.js) takes over
  if (!started.ok) {
    // the run trained before, its results and the data are left as they were
    setRunState(before);
    updateControls();
    showError(`Could not start training: ${started.error}`);
    return false;
  }
  showStarted(started);
  return true;
}

export async function startRun() {
  if (!(await beginRun())) return;
  refreshModelViewsInBackground(); // the first slice does not wait for the untrained network's drawing
  await runSlices();
}

// A run started and not trained (the trace's first mini-batch takes the initial weights):
// paused at epoch 0, so Resume, Step and Train work as usual. Answers whether it started.
export async function startRunWithoutTraining() {
  if (!(await beginRun())) return false;
  await redrawModelViews();
  setRunState("paused");
  updateControls();
  showStatus("ready", "Paused at epoch 0, before any training. Ready to resume, step or stop.");
  return true;
}

// A step's answer (Step, or the trace's Update): its epochs taken, or its error shown, the run
// ended when the loss diverged. Answers whether the step was taken.
async function takeStepAnswer(answer) {
  if (!answer.ok) {
    showError(answer.error);
    if (answer.stop_reason === "diverged") {
      takeEpochs(answer);
      drawNow();
      setRunState("done");
      await finishRun("Training stopped: the loss diverged after epoch");
    }
    return false;
  }
  takeEpochs(answer);
  drawNow();
  return true;
}

// The trace's Update took one counted training step (views/trace-panel.js): shown as Step shows its.
export async function showTracedStep(answer) {
  if (!(await takeStepAnswer(answer))) return;
  app.tracedSteps = (app.tracedSteps || 0) + 1;
  await redrawModelViews();
  if (answer.finished && runState() === "paused") {
    setRunState("done");
    await finishRun("Stepped to epoch");
  } else if (runState() === "paused") {
    const steps = app.tracedSteps === 1 ? "1 traced step" : `${app.tracedSteps} traced steps`;
    showStatus("ready", `Paused after a traced step: ${answer.epoch} ${answer.epoch === 1 ? "epoch" : "epochs"} done and ` +
      `${steps} taken in this run. Trace the next mini-batch, resume, step or stop.`);
  }
}

// One slice asked for: its answer, and how long it took from the page's side.
async function askSlice(milliseconds) {
  const begun = performance.now();
  const slice = await app.engine.trainFor(milliseconds);
  return { slice, tookMs: performance.now() - begun };
}

const goesOn = (slice) => !slice.finished && runState() === "training" && !stopWasAsked();

// Trains slice after slice until the run finishes, fails, or the user pauses or stops it.
// The next slice is asked for as soon as one answers, before this one's epochs are drawn:
// the worker trains while the page draws. Answers the slice that failed, {crashed: true},
// or {ok: true, finished} (finished, paused or stopped).
async function trainSlices() {
  if (runState() !== "training" || stopWasAsked()) return { ok: true, finished: false };
  let sliceMs = SLICE_MS;
  let asked = askSlice(sliceMs);
  let trainedMs = 0; // asked for since the model views were last refreshed
  for (;;) {
    const { slice, tookMs } = await asked;
    app.timing.elapsedMs += tookMs;
    neuronMaps.countTraining(tookMs);
    if (slice.crashed) return { crashed: true }; // the crash handler (recovery.js) takes over
    if (!slice.ok) return slice;
    const more = goesOn(slice);
    trainedMs += sliceMs;
    if (more) {
      sliceMs = app.engine.callsWaiting() ? SLICE_MS : Math.min(SLICE_MAX_MS, sliceMs * 1.5);
      asked = askSlice(sliceMs);
    }
    takeEpochs(slice);
    drawOnFrame("timing", showTiming);
    if (!more) return { ok: true, finished: Boolean(slice.finished) }; // its end (finishRun) draws the model views
    if (trainedMs >= REDRAW_EVERY_MS && !modelViewsRefreshing()) {
      trainedMs = 0;
      refreshModelViewsInBackground();
    }
  }
}

// The run's state is `training` (set by whoever started or resumed it).
async function runSlices() {
  updateControls();
  showStatus("training", `Training on ${app.started.n_train} rows (${app.started.n_test} held out for testing)…`);
  const outcome = await trainSlices();
  drawNow(); // the last report is on screen before the page says how the run ended
  // the engine failed under the run (its state is no longer training or paused): recovery.js took over
  if (outcome.crashed || !["training", "paused"].includes(runState())) return;
  if (!outcome.ok) {
    await endWithFailure(outcome);
  } else if (runState() === "paused") {
    await holdTrainedModel();
    updateControls();
    showStatus("ready", `Paused after epoch ${$("epoch-counter").textContent}. Ready to resume, step or stop; the learning rate can be changed.`);
  } else {
    setRunState("done");
    await finishRun(outcome.finished ? "Trained" : "Stopped after epoch");
  }
}

async function endWithFailure(failure) {
  showError(failure.error);
  if (failure.stop_reason === "diverged") {
    // the engine kept the last finite epoch's weights: show its epochs and what they predict
    setRunState("done");
    takeEpochs(failure);
    drawNow();
    await finishRun("Training stopped: the loss diverged after epoch");
    return;
  }
  setRunState("failed");
  updateControls();
  showStatus("error", "Training stopped with an error. Ready to train again.");
}

// The page keeps a copy of the trained model, for a new engine if this one fails.
async function holdTrainedModel() {
  const answer = await app.engine.modelJson();
  if (answer.ok) holdModel(answer.text);
}

async function finishRun(how) {
  updateControls();
  // asked for at once: the worker answers them in turn, without a round trip to the page between
  const [, answer, model] = await Promise.all([redrawModelViews(), app.engine.results(), app.engine.modelJson()]);
  if (!answer.ok) {
    showError(answer.error);
    showStatus("error", "Could not compute the results. Ready to train again.");
    return;
  }
  if (model.ok) holdModel(model.text);
  results.showResults(answer);
  table.showPredictions(answer.rows, answer.target);
  const score = answer.task === "regression" ? `Test R² ${answer.r2.toFixed(4)}` : `Test accuracy ${answer.accuracy.toFixed(4)}`;
  let epochs = how === "Trained" ? `Trained ${answer.epoch} epochs` : `${how} ${answer.epoch}`;
  if (how === "Trained" && answer.stop_reason === "early_stopping" && answer.best_epoch) {
    epochs = `Stopped early at epoch ${answer.epoch} of ${answer.epochs_planned}: the validation loss was best at epoch ` +
      `${answer.best_epoch}, and those weights are kept`;
    $("epoch-total").textContent = `of ${answer.epochs_planned} · stopped early (best: epoch ${answer.best_epoch})`;
  }
  showStatus("done", `${epochs}. ${score}. Ready to train again.`);
}

export function pauseRun() {
  if (runState() === "training" && !stopWasAsked()) setRunState("paused");
}

async function applyLearningRate() {
  const answer = await app.engine.setLearningRate($("learning-rate").value);
  if (!answer.ok) {
    showError(`Could not change the learning rate: ${answer.error}`);
    return false;
  }
  return true;
}

export async function resumeRun() {
  if (runState() !== "paused" || !(await applyLearningRate())) return;
  showError("");
  setRunState("training");
  await runSlices();
}

export async function stepRun() {
  // a run that ended (finished, stopped or failed) steps on from where it is
  if (!["paused", "done", "failed"].includes(runState())) return;
  if (!(await applyLearningRate())) return;
  const begun = performance.now();
  const answer = await app.engine.step();
  app.timing.elapsedMs += performance.now() - begun;
  if (!(await takeStepAnswer(answer))) return;
  showTiming();
  await redrawModelViews();
  if (runState() !== "paused") {
    setRunState("done");
    await finishRun("Stepped to epoch");
  }
  else showStatus("ready", `Paused after epoch ${answer.epoch}. Ready to resume, step or stop.`);
}

export async function stopRun() {
  if (runState() === "training") {
    askStop(); // the slice loop sees it and finishes the run
    updateControls();
  } else if (runState() === "paused") {
    setRunState("done");
    await finishRun("Stopped after epoch");
  }
}

// What a run put on the page, cleared: its curves, maps, weights, output and results. With
// `dataChanged` (the run belongs to other data) also its task line and run notes. The model it
// trained stays the one that predicts (the Predict sheet names its data) until Train trains anew.
export function clearRun({ dataChanged = true } = {}) {
  const hadRun = app.started !== null;
  setRunState("idle");
  app.started = null;
  dropProgressDrawings();
  app.chart.reset();
  app.normsChart.reset();
  neuronMaps.clearNeuronMaps();
  clearRunDrawing();
  showProgress(0, null);
  results.clearResults();
  table.clearPredictions();
  showOutputKind("none");
  if (hadRun && dataChanged) dataPanel.clearTask();
  updateControls();
}

export function resetRun() {
  clearRun({ dataChanged: false });
  showStatus("ready", "Ready: the run was cleared. Press Train to start again.");
}
