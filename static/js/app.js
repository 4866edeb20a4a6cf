// Wiring only: page events → engine calls → views. The views and panels are
// small modules; the engine (Python, in a worker) holds the data and the model.
import { connectEngine } from "./engine.js";
import { emitEngineState, emitProgress } from "./events.js";
import { askStop, runInProgress, runState, setRunState, stopWasAsked } from "./run-state.js";
import { $, el, downloadText, sentence } from "./dom.js";
import { DEFAULTS, fromHash, toHash } from "./state.js";
import * as dataPanel from "./data-panel.js";
import * as modelPanel from "./model-panel.js";
import { createLossChart } from "./loss-chart.js";
import * as results from "./results-view.js";
import * as table from "./table-view.js";
import * as network from "./network-view.js";
import { drawBoundary } from "./boundary-heatmap.js";
import { holdCsv, holdModel, holdToySample, restartEngine } from "./recovery.js";
import * as taskView from "./task-view.js";
import * as whatIf from "./what-if.js";
import { keepFocus, trackFocus } from "./focus-flow.js";
import { formatSize, readBytes } from "./file-read.js";
import * as predict from "./predict-panel.js";
import { showSlowCall, waitedSeconds } from "./slow-engine.js";

// Training runs in slices this long, so Pause and Stop wait at most one slice.
const SLICE_MS = 80;
// Weights and the 2-D grid travel from the worker every this many slices: drawing stays cheap.
const REDRAW_EVERY_SLICES = 4;
const LOAD_TIMEOUT_MS = 120_000;
const REAL_SAMPLES = {
  boston: { file: "boston.csv", target: "MEDV" },
  iris: { file: "iris.csv", target: "species" },
  wine: { file: "wine.csv", target: "class" },
  breast_cancer: { file: "breast_cancer.csv", target: "diagnosis" },
  diabetes: { file: "diabetes.csv", target: "progression" },
};
const TOY_DATA_SEED = 0;
const TOY_SAMPLES = ["xor", "circles", "spirals", "blobs", "surface"];

const app = { engine: null, slowCall: null, restarting: false, busy: false, hasData: false, hasModel: false, sample: "", columns: [], leftOut: {}, features: [], previewRow: null, started: null, timing: null, target: "", classes: [] };

function withTimeout(promise, ms) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`It was still loading after ${ms / 1000} s.`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

function showStatus(state, text, run = runState()) {
  const status = $("status");
  status.dataset.state = state;
  status.dataset.run = run;
  status.textContent = text;
}

function showError(message) {
  const box = document.querySelector('[data-testid="error-message"]');
  box.textContent = message ? sentence(message) : "";
  box.hidden = !message;
}

function updateControls() {
  // nothing reaches the engine until a new one holds the data and model again
  document.querySelector("main").inert = app.restarting;
  const { hasData, hasModel, busy } = app;
  // a run asked to stop is still training until its slice ends; a failed run's controls are a done one's
  const phase = { training: stopWasAsked() ? "stopping" : "training", failed: "done" }[runState()] || runState();
  const running = phase === "training";
  $("train-button").disabled = running || phase === "paused" || !hasData || busy;
  $("pause-button").disabled = !running;
  $("resume-button").disabled = phase !== "paused";
  $("step-button").disabled = phase !== "paused" && phase !== "done";
  $("stop-button").disabled = !running && phase !== "paused";
  $("reset-button").disabled = phase === "idle" || running;
  for (const id of ["file-input", "sample-select", "model-file-input", "predict-file-input"]) $(id).disabled = running || busy;
  $("target-select").disabled = running || !hasData;
  $("download-model").disabled = running || !hasModel;
  $("what-if-button").disabled = running || !hasModel;
  $("gradcheck-button").disabled = running;
  $("download-predictions").disabled = running || phase === "idle";
  keepFocus(phase);
}

// -- data -----------------------------------------------------------------------------
function readConfig() {
  return {
    target: $("target-select").value,
    features: dataPanel.chosenFeatures(),
    task: $("task-select").value,
    test_fraction: $("test-fraction").value,
    scaling: $("scaling-select").value,
    ...modelPanel.readModelSettings(),
  };
}

// The hash holds a sample's name and its column choices, never anything from a user's file.
function shareHash() {
  const config = readConfig();
  if (!app.sample) {
    delete config.target;
    delete config.features;
  }
  return toHash({ sample: app.sample, ...config });
}

function updateShareLink() {
  $("share-link").href = shareHash();
}

async function showLoaded(answer, preferredTarget, preferredFeatures) {
  showError("");
  app.hasData = true;
  app.columns = answer.columns;
  app.leftOut = answer.left_out;
  app.previewRow = answer.preview[0] || null;
  dataPanel.showDataset(answer);
  const target = answer.columns.includes(preferredTarget) ? preferredTarget : answer.suggested_target;
  dataPanel.showTargetOptions(answer.columns, target);
  dataPanel.showFeatures(answer.columns, target, preferredFeatures, answer.left_out);
  // a task chosen for the old data does not carry over to new data (a link's task is put back by applyHash)
  $("task-select").value = "auto";
  await taskView.describeTarget(app.engine, target);
  updateControls();
  updateShareLink();
  showStatus("ready", `Ready: ${answer.name} loaded. Check the column to predict and its task, then press Train.`);
}

// data: a sample's CSV text, or a user's file as bytes (the engine decodes them)
async function loadData(data, name, preferredTarget = null, preferredFeatures = null) {
  const answer = await app.engine.loadCsv(data, name);
  if (!answer.ok) {
    // the engine kept the table it had; so does the page
    showError(`Could not load ${name}: ${answer.error}`);
    return false;
  }
  holdCsv(data, name);
  await showLoaded(answer, preferredTarget, preferredFeatures);
  return true;
}

// Runs `work` with the file inputs and Train disabled, the status saying what
// happens; a big file takes seconds in the worker. The status comes back if it fails.
async function whileBusy(text, work) {
  const status = $("status");
  const before = { state: status.dataset.state, text: status.textContent };
  app.busy = true;
  updateControls();
  showStatus("working", text);
  let done = false;
  try {
    done = await work();
  } finally {
    app.busy = false;
    updateControls();
    if (!done) showStatus(before.state, before.text);
  }
  return done;
}

async function loadFile(file) {
  if (!file || app.busy) return;
  const loaded = await whileBusy(`Reading ${file.name} (${formatSize(file.size)})…`, async () => {
    let bytes;
    try {
      bytes = await readBytes(file);
    } catch (error) {
      showError(`Could not read ${file.name}: ${error.message}.`);
      return false;
    }
    return loadData(bytes, file.name);
  });
  if (loaded) {
    app.sample = "";
    $("sample-select").value = "";
    updateShareLink();
  }
}

// Arrow keys on the sample list choose one sample after another: only the latest choice loads.
let sampleRequest = 0;

async function loadSample(name, preferredTarget = null, preferredFeatures = null) {
  const request = ++sampleRequest;
  if (TOY_SAMPLES.includes(name)) {
    // the toy data's own seed is fixed, so a link (sample name + settings) always names the same table
    const answer = await app.engine.loadSample(name, TOY_DATA_SEED);
    if (!answer.ok) {
      showError(answer.error);
      return false;
    }
    app.sample = name;
    holdToySample(name, TOY_DATA_SEED);
    await showLoaded(answer, preferredTarget || answer.suggested_target, preferredFeatures);
    return true;
  }
  const sample = REAL_SAMPLES[name];
  if (!sample) return false;
  const response = await fetch(`./static/data/${sample.file}`);
  if (!response.ok) {
    showError(`Could not fetch the sample ${sample.file} (HTTP ${response.status}); reload the page.`);
    return false;
  }
  const text = await response.text();
  if (request !== sampleRequest) return false; // a later choice came while this one was fetched
  const loaded = await loadData(text, sample.file, preferredTarget || sample.target, preferredFeatures);
  if (loaded) app.sample = name;
  updateShareLink();
  return loaded;
}

// -- training ---------------------------------------------------------------------------
function showProgress(epoch, loss) {
  $("epoch-counter").textContent = String(epoch);
  $("epoch-total").textContent = app.started ? `of ${app.started.config.epochs}` : "";
  $("loss-value").textContent = loss === null || loss === undefined ? "–" : Number(loss).toFixed(4).replace(/\.?0+$/, "") || "0";
}

function showTiming() {
  const t = app.timing;
  const seconds = t.elapsedMs / 1000;
  $("elapsed").textContent = `${seconds.toFixed(1)} s`;
  $("samples-per-second").textContent =
    seconds > 0 ? `${Math.round((t.epochs * app.started.n_train) / seconds)} samples/s` : "– samples/s";
}

function takeEpochs(answer) {
  emitProgress(answer.epochs, answer.finished, answer.stop_reason);
  if (!answer.epochs.length) return;
  const last = answer.epochs[answer.epochs.length - 1];
  app.timing.epochs += answer.epochs.length;
  showProgress(last[0], last[1]);
  app.chart.append(answer.epochs);
}

async function redrawModelViews() {
  const view = await app.engine.networkView();
  if (view.ok) {
    network.showNodes(view.nodes);
    network.showNeurons(view);
  }
  if (app.started && app.started.features.length === 2) {
    const grid = await app.engine.grid(40);
    if (grid.ok) {
      $("boundary-view").hidden = false;
      drawBoundary($("boundary-canvas"), grid);
      $("boundary-note").textContent = `${grid.features[0]} → across, ${grid.features[1]} ↑ up; ${
        grid.task === "regression" ? "colour: predicted value (blue low, orange high)" : "colour: predicted class"
      }`;
    }
  }
}

async function onTrain() {
  const config = readConfig();
  const started = await app.engine.start(config);
  if (!started.ok) {
    // the run trained before, its results and the data are left as they were
    showError(`Could not start training: ${started.error}`);
    return;
  }
  showError("");
  $("model-info").textContent = ""; // a model file loaded before is no longer the one that predicts
  app.started = started;
  app.target = started.config.target;
  app.features = started.features;
  app.hasModel = true;
  history.replaceState(null, "", shareHash());
  updateShareLink();
  dataPanel.showTask(started);
  results.clearResults();
  table.clearPredictions();
  app.chart.reset();
  $("boundary-view").hidden = started.features.length !== 2;
  showProgress(0, null);
  app.timing = { elapsedMs: 0, epochs: 0 };
  app.classes = started.classes || [];
  whatIf.showWhatIf(started.feature_fields, exampleRow());
  await redrawModelViews();
  await runSlices();
}

async function runSlices() {
  setRunState("training");
  updateControls();
  showStatus("training", `Training on ${app.started.n_train} rows (${app.started.n_test} held out for testing)…`);
  let slices = 0;
  let failure = null;
  let finished = false;
  while (runState() === "training" && !stopWasAsked()) {
    const begun = performance.now();
    const slice = await app.engine.trainFor(SLICE_MS);
    app.timing.elapsedMs += performance.now() - begun;
    if (slice.crashed) return; // onEngineCrash takes over
    if (!slice.ok) {
      failure = slice;
      break;
    }
    takeEpochs(slice);
    showTiming();
    if (++slices % REDRAW_EVERY_SLICES === 0) await redrawModelViews();
    if (slice.finished) {
      finished = true;
      break;
    }
  }
  if (failure) {
    showError(failure.error);
    if (failure.stop_reason === "diverged") {
      setRunState("done");
      // the engine kept the last finite epoch's weights: show its epochs and what they predict
      takeEpochs(failure);
      await finishRun("Training stopped: the loss diverged after epoch");
      return;
    }
    setRunState("failed");
    updateControls();
    showStatus("error", "Training stopped with an error. Ready to train again.");
    return;
  }
  if (runState() === "paused") {
    await holdTrainedModel();
    updateControls();
    showStatus("ready", `Paused after epoch ${$("epoch-counter").textContent}. Ready to resume, step or stop; the learning rate can be changed.`);
    return;
  }
  setRunState("done");
  await finishRun(finished ? "Trained" : "Stopped after epoch");
}

// The page keeps a copy of the trained model, for a new engine if this one fails.
async function holdTrainedModel() {
  const answer = await app.engine.modelJson();
  if (answer.ok) holdModel(answer.text);
}

async function finishRun(how) {
  updateControls();
  await redrawModelViews();
  const answer = await app.engine.results();
  if (!answer.ok) {
    showError(answer.error);
    showStatus("error", "Could not compute the results. Ready to train again.");
    return;
  }
  await holdTrainedModel();
  results.showResults(answer);
  table.showPredictions(answer.rows, answer.target);
  const score = answer.task === "regression" ? `Test R² ${answer.r2.toFixed(4)}` : `Test accuracy ${answer.accuracy.toFixed(4)}`;
  const epochs = how === "Trained" ? `Trained ${answer.epoch} epochs` : `${how} ${answer.epoch}`;
  showStatus("done", `${epochs}. ${score}. Ready to train again.`);
}

function onPause() {
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

async function onResume() {
  if (runState() !== "paused" || !(await applyLearningRate())) return;
  showError("");
  await runSlices();
}

async function onStep() {
  if (runState() !== "paused" && runState() !== "done") return;
  if (!(await applyLearningRate())) return;
  const begun = performance.now();
  const answer = await app.engine.step();
  app.timing.elapsedMs += performance.now() - begun;
  if (!answer.ok) {
    showError(answer.error);
    if (answer.stop_reason === "diverged") {
      takeEpochs(answer);
      setRunState("done");
      await finishRun("Training stopped: the loss diverged after epoch");
    }
    return;
  }
  takeEpochs(answer);
  showTiming();
  await redrawModelViews();
  if (runState() === "done") await finishRun("Stepped to epoch");
  else showStatus("ready", `Paused after epoch ${answer.epoch}. Ready to resume, step or stop.`);
}

async function onStop() {
  if (runState() === "training") {
    askStop(); // the slice loop sees it and finishes the run
    $("stop-button").disabled = true;
    $("pause-button").disabled = true;
  } else if (runState() === "paused") {
    setRunState("done");
    await finishRun("Stopped after epoch");
  }
}

function onReset() {
  setRunState("idle");
  app.started = null;
  app.chart.reset();
  showProgress(0, null);
  results.clearResults();
  table.clearPredictions();
  $("boundary-view").hidden = true;
  updateControls();
  showStatus("ready", "Ready: the run was cleared. Press Train to start again.");
}

// -- prediction, save and load -------------------------------------------------------------
// The what-if form starts from the first row of the loaded data, where it has the model's columns
// (the preview holds the first 100 columns only: a later one starts blank and the engine fills it in).
function exampleRow() {
  if (!app.previewRow) return {};
  return Object.fromEntries(app.previewRow.map((cell, i) => [app.columns[i], cell]));
}

async function onWhatIf(event) {
  event.preventDefault();
  const answer = await app.engine.predictRow(whatIf.whatIfValues());
  if (!answer.ok) {
    showError(`The what-if row could not be predicted: ${answer.error}`);
    return;
  }
  showError("");
  whatIf.showWhatIfResult(app.target, answer, app.classes);
}

async function onPredictFile(event) {
  const file = event.target.files[0];
  if (!file || app.busy) return;
  let answer;
  await whileBusy(`Predicting ${file.name} (${formatSize(file.size)})…`, async () => {
    try {
      answer = await app.engine.predictCsv(await readBytes(file), file.name);
    } catch (error) {
      answer = { ok: false, error: error.message };
    }
    return false; // the status before (the run's) stays
  });
  event.target.value = "";
  if (!answer.ok) {
    showError(`Could not predict ${file.name}: ${answer.error}`);
    return;
  }
  showError("");
  predict.showNewPredictions(answer, file.name, table.PAGE_ROWS);
}

async function onDownloadModel() {
  const answer = await app.engine.modelJson();
  if (!answer.ok) {
    showError(answer.error);
    return;
  }
  downloadText(answer.text, "fcnn-model.json", "application/json");
}

async function onModelFile(event) {
  const file = event.target.files[0];
  if (!file || app.busy) return;
  let answer;
  let bytes = null;
  try {
    bytes = await readBytes(file);
    answer = await app.engine.loadModel(bytes);
  } catch (error) {
    answer = { ok: false, error: error.message };
  }
  event.target.value = "";
  if (!answer.ok) {
    showError(`Could not load ${file.name}: ${answer.error}`);
    return;
  }
  showError("");
  holdModel(bytes);
  app.hasModel = true;
  app.target = answer.target;
  predict.showModelInfo(file.name, answer, app.hasData ? app.columns : null);
  app.classes = answer.classes || [];
  whatIf.showWhatIf(answer.feature_fields, exampleRow());
  updateControls();
  await redrawModelViews();
}

async function onGradientCheck() {
  $("gradcheck-button").disabled = true;
  const answer = await app.engine.gradientReport();
  $("gradcheck-button").disabled = false;
  if (!answer.ok) {
    showError(answer.error);
    return;
  }
  network.showGradientReport(answer);
}

// -- a failed engine ------------------------------------------------------------------------
// A call that has not answered for long (or null once it answers): the user may restart the engine.
function onSlowCall(call) {
  app.slowCall = call;
  showSlowCall(call);
}

function onRestartEngine() {
  const call = app.slowCall;
  if (!call || !app.engine) return;
  onSlowCall(null);
  app.engine.abandon(`it had not answered for ${waitedSeconds(call)} s, and you restarted it`);
}

async function onEngineCrash(error) {
  if (app.restarting) return;
  app.restarting = true;
  onSlowCall(null);
  const reason = String(error.message || error).split("\n")[0];
  // the run controller's state decides, whichever call's failure arrived first
  const wasTraining = runInProgress();
  if (wasTraining) setRunState("failed");
  emitEngineState("crashed");
  updateControls();
  showStatus("loading", "The engine stopped; starting a new one…", "idle");
  emitEngineState("restarting");
  let restarted;
  try {
    restarted = await withTimeout(restartEngine(() => {}, onEngineCrash, onSlowCall), LOAD_TIMEOUT_MS);
  } catch (failure) {
    app.restarting = false;
    emitEngineState("crashed");
    updateControls();
    showStatus("error", "The engine stopped and could not be restarted.");
    showError(`The engine stopped (${reason}) and a new one did not start (${failure.message}). Reload the page.`);
    return;
  }
  app.engine = restarted.engine;
  app.restarting = false;
  setRunState("idle");
  emitEngineState("ready");
  app.started = null;
  app.hasData = restarted.dataBack;
  app.hasModel = restarted.modelBack !== null;
  updateControls();
  const kept = [];
  if (restarted.dataBack) kept.push("your data is loaded again");
  if (restarted.modelBack) {
    kept.push("the last trained model is back (predict, what-if and download work)");
    app.target = restarted.modelBack.target;
    app.classes = restarted.modelBack.classes || [];
    whatIf.showWhatIf(restarted.modelBack.feature_fields, exampleRow());
    await redrawModelViews();
  }
  const lost = wasTraining ? " The run in progress was lost." : "";
  showError(
    `The engine stopped (${reason}) and was restarted without a reload; ${kept.join(" and ") || "nothing was loaded yet"}.` +
      `${lost} Press Train to train again.`,
  );
  showStatus("ready", "Ready: the engine was restarted. Press Train to train again.");
}

// -- start-up -----------------------------------------------------------------------------
function wire() {
  $("restart-engine").addEventListener("click", onRestartEngine);
  $("file-input").addEventListener("change", (e) => loadFile(e.target.files[0]));
  const zone = $("drop-zone");
  zone.addEventListener("dragover", (e) => {
    e.preventDefault();
    zone.classList.add("over");
  });
  zone.addEventListener("dragleave", () => zone.classList.remove("over"));
  zone.addEventListener("drop", (e) => {
    e.preventDefault();
    zone.classList.remove("over");
    const file = e.dataTransfer.files[0];
    if (!app.engine || !file) return;
    // the file inputs are disabled while training; a drop gets told why instead of nothing
    if (runState() === "training") showError(`The file ${file.name} was not loaded: training is running. Press Pause or Stop, then drop it again.`);
    else loadFile(file);
  });
  $("sample-select").addEventListener("change", (e) => e.target.value && loadSample(e.target.value));
  $("target-select").addEventListener("change", (e) => {
    dataPanel.showFeatures(app.columns, e.target.value, null, app.leftOut);
    taskView.describeTarget(app.engine, e.target.value);
  });
  $("task-select").addEventListener("change", taskView.render);
  $("add-layer").addEventListener("click", () => { modelPanel.addLayer(); updateShareLink(); });
  $("remove-layer").addEventListener("click", () => { modelPanel.removeLayer(); updateShareLink(); });
  document.querySelector("main").addEventListener("change", updateShareLink);
  modelPanel.linkLearningRate();
  $("train-button").addEventListener("click", onTrain);
  $("pause-button").addEventListener("click", onPause);
  $("resume-button").addEventListener("click", onResume);
  $("step-button").addEventListener("click", onStep);
  $("stop-button").addEventListener("click", onStop);
  $("reset-button").addEventListener("click", onReset);
  $("page-prev").addEventListener("click", () => table.turnPage(-1));
  $("page-next").addEventListener("click", () => table.turnPage(1));
  $("download-predictions").addEventListener("click", () =>
    downloadText(table.predictionsCsv(app.target), "fcnn-predictions.csv", "text/csv"),
  );
  $("predict-file-input").addEventListener("change", onPredictFile);
  $("what-if-form").addEventListener("submit", onWhatIf);
  $("download-model").addEventListener("click", onDownloadModel);
  $("model-file-input").addEventListener("change", onModelFile);
  $("gradcheck-button").addEventListener("click", onGradientCheck);
}

async function applyHash() {
  const config = fromHash(location.hash);
  modelPanel.applyModelSettings({ ...DEFAULTS, ...config });
  if (config.sample) {
    $("sample-select").value = config.sample;
    await loadSample(config.sample, config.target || null, config.features || null);
  }
  if (config.task) {
    $("task-select").value = config.task;
    taskView.render();
  }
}

async function main() {
  const loadingStarted = performance.now();
  let stage = "Loading the runtime";
  const stages = $("load-stages");
  const onStage = (text) => {
    for (const item of stages.children) item.dataset.done = "true";
    stages.append(el("li", text, { "data-testid": "load-stage" }));
    stage = text;
  };
  const ticker = setInterval(() => {
    const seconds = ((performance.now() - loadingStarted) / 1000).toFixed(0);
    showStatus("loading", `${stage}… ${seconds} s`);
  }, 500);
  app.chart = createLossChart($("loss-chart"));
  modelPanel.showLayers(DEFAULTS.hidden_layers);
  wire();
  trackFocus();
  updateControls();
  emitEngineState("loading");
  try {
    app.engine = await withTimeout(connectEngine(onStage, onEngineCrash, onSlowCall), LOAD_TIMEOUT_MS);
  } catch (error) {
    showStatus("error", "The Python runtime did not start.");
    showError(
      `${error.message} Reload the page; if it happens again, rebuild the runtime with \`make vendor\` ` +
        "and check the browser console.",
    );
    return;
  } finally {
    clearInterval(ticker);
  }
  emitEngineState("ready");
  for (const item of stages.children) item.dataset.done = "true";
  stages.hidden = true;
  const seconds = ((performance.now() - loadingStarted) / 1000).toFixed(1);
  document.body.dataset.readyMs = String(Math.round(performance.now() - loadingStarted));
  await applyHash();
  updateControls();
  if (!app.hasData) showStatus("ready", `Ready (runtime loaded in ${seconds} s). Choose a CSV file or a sample.`);
  window.addEventListener("hashchange", () => location.reload());
}

main();
