// Wiring only: page events → engine calls → views. The modules that act hold the logic
// (data-loading, run-controller, model-files, recovery, share-link); the views draw.
// Start-up: the shared facts (facts.json) build the controls, so a sample or a file can be
// chosen at once; what is chosen before the engine is ready waits for it (data-loading.js).
import { $, downloadText, el } from "./dom.js";
import { connectEngine } from "./engine.js";
import { emitEngineState } from "./events.js";
import { facts, loadFacts } from "./facts.js";
import { trackFocus } from "./focus-flow.js";
import * as loading from "./data-loading.js";
import * as models from "./model-files.js";
import { wireFinder } from "./lr-find.js";
import { app, showError, showStatus, updateControls } from "./page.js";
import { LOAD_TIMEOUT_MS, onEngineCrash, onRestartEngine, onSlowCall, withTimeout } from "./recovery.js";
import * as run from "./run-controller.js";
import { runState } from "./run-state.js";
import { updateShareLink } from "./share-link.js";
import { fromHash } from "./state.js";
import { linkedData } from "./data-link.js";
import { demoSettings, showDemo } from "./demo.js";
import { lessonFromHash, lessonSettings, showLesson, wireLessons } from "./lessons.js";
import { buildControls } from "./views/controls.js";
import * as dataPanel from "./views/data-panel.js";
import { createGraphView } from "./views/graph-view.js";
import { readConfig } from "./share-link.js";
import { createLossChart } from "./views/loss-chart.js";
import { createNormsChart } from "./views/norms-chart.js";
import * as modelPanel from "./views/model-panel.js";
import * as network from "./views/network-view.js";
import { watchNeuronMaps } from "./views/neuron-maps.js";
import * as table from "./views/table-view.js";
import * as taskView from "./views/task-view.js";
import { wireTracePanel } from "./views/trace-panel.js";

const train = () => loading.requestTrain(run.startRun);

// the graph line follows the controls until a model is built
function showPlannedGraph() {
  if (app.hasModel) return;
  network.showPlannedGraph(modelPanel.layerWidths().length, $("activation-select").value, $("task-select").value);
}

function wireDropZone() {
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
    if (!app.factsReady || !file) return;
    // the file inputs are disabled while training; a drop gets told why instead of nothing
    if (runState() === "training") showError(`The file ${file.name} was not loaded: training is running. Press Pause or Stop, then drop it again.`);
    else loading.requestFile(file);
  });
}

function wireData() {
  $("file-input").addEventListener("change", (e) => loading.requestFile(e.target.files[0]));
  wireDropZone();
  $("sample-select").addEventListener("change", (e) => e.target.value && loading.requestSample(e.target.value));
  $("target-select").addEventListener("change", (e) => {
    dataPanel.showFeatures(app.columns, e.target.value, null, app.leftOut);
    taskView.describeTarget(app.engine, e.target.value);
  });
  $("task-select").addEventListener("change", taskView.render);
  $("add-layer").addEventListener("click", () => { modelPanel.addLayer(); updateShareLink(); showPlannedGraph(); });
  $("remove-layer").addEventListener("click", () => { modelPanel.removeLayer(); updateShareLink(); showPlannedGraph(); });
  document.querySelector("main").addEventListener("change", () => { updateShareLink(); showPlannedGraph(); });
  modelPanel.linkLearningRate();
  wireFinder();
}

function wireRun() {
  $("restart-engine").addEventListener("click", onRestartEngine);
  $("train-button").addEventListener("click", train);
  $("pause-button").addEventListener("click", run.pauseRun);
  $("resume-button").addEventListener("click", run.resumeRun);
  $("step-button").addEventListener("click", run.stepRun);
  $("stop-button").addEventListener("click", run.stopRun);
  $("reset-button").addEventListener("click", run.resetRun);
  wireTracePanel({ startRunWithoutTraining: run.startRunWithoutTraining, pauseRun: run.pauseRun, showTracedStep: run.showTracedStep });
}

function wireModel() {
  $("page-prev").addEventListener("click", () => table.turnPage(-1));
  $("page-next").addEventListener("click", () => table.turnPage(1));
  $("download-predictions").addEventListener("click", () =>
    downloadText(table.predictionsCsv(app.target), "fcnn-predictions.csv", "text/csv"),
  );
  $("predict-file-input").addEventListener("change", models.predictFile);
  $("what-if-form").addEventListener("submit", models.predictWhatIf);
  $("download-model").addEventListener("click", models.downloadModel);
  $("download-python").addEventListener("click", models.downloadPython);
  $("model-file-input").addEventListener("change", (e) => {
    const file = e.target.files[0];
    e.target.value = "";
    loading.requestModelFile(file, models.loadModelFile);
  });
  $("gradcheck-button").addEventListener("click", models.checkGradients);
}

// The Graph view follows the settings it depends on, new data (the data panel's summary and the
// target's description are rewritten) and a new run (the view listens to the run's events).
function wireGraph() {
  const graph = createGraphView($("graph-view"), { engine: () => app.engine, readConfig });
  document.querySelector("main").addEventListener("change", () => graph.request());
  for (const id of ["add-layer", "remove-layer"]) $(id).addEventListener("click", () => graph.request());
  const dataChanged = new MutationObserver(() => graph.request({ force: true }));
  for (const id of ["dataset-info", "task-detected"]) dataChanged.observe($(id), { childList: true, characterData: true, subtree: true });
  document.addEventListener("fcnn:engine-state", ({ detail }) => detail.state === "ready" && graph.request({ force: true }));
}

// The controls from the facts, the link's settings on them, and the link's sample asked for.
// What wins: the link's settings, then a lesson it names, then a demo folder's, then the defaults.
function applyFacts() {
  buildControls(facts);
  showDemo();
  wireLessons();
  modelPanel.setLayerLimits(facts.limits.max_layers, facts.limits.max_units);
  const hashed = fromHash(location.hash, facts.defaults);
  const opened = lessonFromHash(location.hash);
  const lesson = opened ? lessonSettings(opened.lesson, opened.tried) : {};
  const otherData = Boolean(opened || hashed.sample || linkedData(location.hash));
  const config = { ...facts.defaults, ...demoSettings(otherData), ...lesson, ...hashed };
  modelPanel.applyModelSettings(config);
  if (opened) showLesson(opened.lesson, opened.tried);
  app.factsReady = true;
  updateControls();
  showPlannedGraph();
  const linked = linkedData(location.hash);
  if (linked) {
    loading.requestLinkedData(linked, config.target || null, config.features || null, config.task || null);
  } else if (config.sample) {
    $("sample-select").value = config.sample;
    loading.requestSample(config.sample, config.target || null, config.features || null, config.task || null);
  }
}

// why facts.json could not be read, once it failed: the status keeps saying so
let factsProblem = null;

function showFactsProblem() {
  showStatus("error", `${factsProblem} The controls cannot be built without them: reload the page.`);
}

// The status while the runtime loads: its stage and seconds, and what waits for it.
function showLoading(stage, seconds) {
  if (factsProblem) return;
  const waiting = loading.waitingNote();
  showStatus("loading", waiting ? `${waiting} (${stage}… ${seconds} s).` : `${stage}… ${seconds} s`);
}

async function startEngine(loadingStarted) {
  let stage = "Loading the runtime";
  const stages = $("load-stages");
  const onStage = (text) => {
    for (const item of stages.children) item.dataset.done = "true";
    stages.append(el("li", text, { "data-testid": "load-stage" }));
    stage = text;
  };
  const seconds = () => ((performance.now() - loadingStarted) / 1000).toFixed(0);
  const ticker = setInterval(() => showLoading(stage, seconds()), 500);
  emitEngineState("loading");
  try {
    return await withTimeout(connectEngine(onStage, onEngineCrash, onSlowCall), LOAD_TIMEOUT_MS);
  } finally {
    clearInterval(ticker);
    for (const item of stages.children) item.dataset.done = "true";
  }
}

async function startFacts() {
  try {
    await loadFacts();
  } catch (error) {
    factsProblem = error.message;
    showFactsProblem();
    return false;
  }
  applyFacts();
  return true;
}

async function main() {
  const loadingStarted = performance.now();
  app.chart = createLossChart($("loss-chart"));
  app.normsChart = createNormsChart($("norms-chart"), $("val-accuracy"));
  wireData();
  wireRun();
  wireModel();
  wireGraph();
  trackFocus();
  watchNeuronMaps();
  updateControls();
  const factsRead = startFacts();
  try {
    app.engine = await startEngine(loadingStarted);
  } catch (error) {
    showStatus("error", "The Python runtime did not start.");
    showError(`${error.message} Reload the page; if it happens again, rebuild the runtime with \`make vendor\` and check the browser console.`);
    return;
  }
  emitEngineState("ready");
  $("load-stages").hidden = true;
  document.body.dataset.readyMs = String(Math.round(performance.now() - loadingStarted));
  if (!(await factsRead)) {
    showFactsProblem();
    return;
  }
  updateControls();
  const seconds = ((performance.now() - loadingStarted) / 1000).toFixed(1);
  showStatus("loading", "The engine is ready; loading what you chose…");
  await loading.runQueued(models.loadModelFile, run.startRun);
  // nothing was waiting, or what waited did not load: the page says it is ready
  if ($("status").dataset.state === "loading") {
    showStatus("ready", `Ready (runtime loaded in ${seconds} s). Choose a CSV file or a sample.`);
  }
  window.addEventListener("hashchange", () => location.reload());
}

main();
