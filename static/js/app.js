// Wiring only: page events → engine calls → views. The modules that act hold the logic
// (data-loading, run-controller, model-files, recovery, share-link, workspace); the views draw.
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
import { catchUpOutput } from "./model-views.js";
import { networkSpec } from "./network-spec.js";
import { app, showError, showStatus, updateControls } from "./page.js";
import { LOAD_TIMEOUT_MS, onEngineCrash, onRestartEngine, onSlowCall, withTimeout } from "./recovery.js";
import * as run from "./run-controller.js";
import { runState } from "./run-state.js";
import { readConfig, updateShareLink } from "./share-link.js";
import { fromHash } from "./state.js";
import { linkedData } from "./data-link.js";
import { demoSettings, showDemo } from "./demo.js";
import { forgetLesson, lessonFromHash, lessonSettings, showLesson, wireLessons } from "./lessons.js";
import { pushUrlState, wireUrlState } from "./url-state.js";
import { closeSheet, openSheet, setFace, setTab, showSheet, wireWorkspace } from "./workspace.js";
import { buildControls } from "./views/controls.js";
import * as dataPanel from "./views/data-panel.js";
import { createGraphView } from "./views/graph-view.js";
import { createLossChart } from "./views/loss-chart.js";
import { createNormsChart } from "./views/norms-chart.js";
import * as modelPanel from "./views/model-panel.js";
import * as network from "./views/network-view.js";
import { watchNeuronMaps } from "./views/neuron-maps.js";
import { configureNeuronsView, moreListElements, showSpec } from "./views/neurons-view.js";
import * as table from "./views/table-view.js";
import * as taskView from "./views/task-view.js";
import { exitTrace, traceIsOn, wireTracePanel } from "./views/trace-panel.js";

const train = () => loading.requestTrain(run.startRun);

// The network as the settings and the run say it is: the drawing, and the graph line.
function showNetwork() {
  showSpec(networkSpec());
  network.showPlannedGraph(modelPanel.layerWidths().length, $("activation-select").value, $("task-select").value);
}

// A file dropped anywhere on the page loads, as one chosen with Open CSV does.
function wireDrop() {
  const zone = $("drop-zone");
  zone.addEventListener("dragover", () => zone.classList.add("over"));
  zone.addEventListener("dragleave", () => zone.classList.remove("over"));
  document.addEventListener("dragover", (e) => {
    if ([...(e.dataTransfer?.types || [])].includes("Files")) e.preventDefault();
  });
  document.addEventListener("drop", (e) => {
    zone.classList.remove("over");
    const file = e.dataTransfer?.files?.[0];
    if (!file) return;
    e.preventDefault();
    if (!app.factsReady) return;
    // the file inputs are disabled while training; a drop gets told why instead of nothing
    if (runState() === "training") showError(`The file ${file.name} was not loaded: training is running. Press Pause or Stop, then drop it again.`);
    else loading.requestFile(file);
  });
}

function wireData() {
  $("file-input").addEventListener("change", (e) => loading.requestFile(e.target.files[0]));
  wireDrop();
  $("sample-select").addEventListener("change", (e) => e.target.value && loading.requestSample(e.target.value, { withSettings: true }));
  $("target-select").addEventListener("change", (e) => {
    dataPanel.showFeatures(app.columns, e.target.value, null, app.leftOut);
    dataPanel.confirmTarget();
    taskView.describeTarget(app.engine, e.target.value).then(showNetwork);
  });
  $("task-select").addEventListener("change", taskView.render);
  const layersChanged = () => { updateShareLink(); showNetwork(); };
  $("add-layer").addEventListener("click", () => { modelPanel.addLayer(); layersChanged(); });
  $("remove-layer").addEventListener("click", () => { modelPanel.removeLayer(); layersChanged(); });
  document.querySelector("main").addEventListener("change", layersChanged);
  // new data, or a target described: what the drawing plans follows
  document.addEventListener("fcnn:data-replaced", () => run.clearRun());
  document.addEventListener("fcnn:data-loaded", showNetwork);
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
  document.addEventListener("fcnn:run-state", showNetwork);
  // a run's layers are its own until it is stopped or reset
  document.addEventListener("fcnn:run-state", ({ detail }) => modelPanel.lockLayers(["training", "paused"].includes(detail.state)));
  document.addEventListener("fcnn:run-started", showNetwork);
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

// "+N more" on a wide column: its units listed in the side panel (with their figures once trained).
async function showMoreUnits(more) {
  $("units-title").textContent = more.title;
  $("units-list").replaceChildren(...moreListElements(more));
  showSheet("units");
  if (more.kind === "input" || !app.engine || !app.started) return;
  const answer = await app.engine.layerUnits(more.layer);
  if (answer.ok && $("units-title").textContent === more.title) $("units-list").replaceChildren(...moreListElements(more, answer.units));
}

// The workspace: the side panel's sheets, the network's faces, the phone's tabs. A trace is drawn
// on the Nodes face with its numbers in the side panel; leaving one leaves the other.
function wireLayout() {
  wireWorkspace();
  configureNeuronsView({ unitsDrawn: facts.limits?.units_drawn, onMore: showMoreUnits });
  $("trace-button").addEventListener("click", () => {
    setFace("nodes");
    setTab("network");
    showSheet("trace", { focus: false });
  });
  document.addEventListener("fcnn:sheet", ({ detail }) => {
    if (detail.name !== "trace" && traceIsOn()) exitTrace();
    if (!detail.name) catchUpOutput();
  });
  document.addEventListener("fcnn:trace-step", ({ detail }) => {
    if (detail.name === null && detail.phase === null && openSheet() === "trace") closeSheet();
  });
  document.addEventListener("fcnn:node-chosen", () => {
    if (!traceIsOn()) showSheet("node", { focus: false });
  });
  document.addEventListener("fcnn:tab", catchUpOutput);
  $("share-link").addEventListener("click", (e) => {
    e.preventDefault();
    pushUrlState($("share-link").getAttribute("href"));
  });
}

// The controls from the facts, the link's settings on them, and the link's data asked for.
// What wins: the link's settings, then a lesson it names, then a demo folder's, then the defaults.
function configFromHash(hash) {
  const hashed = fromHash(hash, facts.defaults);
  const opened = lessonFromHash(hash);
  const lesson = opened ? lessonSettings(opened.lesson, opened.tried) : {};
  const otherData = Boolean(opened || hashed.sample || linkedData(hash));
  return { opened, config: { ...facts.defaults, ...demoSettings(otherData), ...lesson, ...hashed } };
}

function loadHashData(hash, config) {
  const linked = linkedData(hash);
  if (linked) {
    loading.requestLinkedData(linked, config.target || null, config.features || null, config.task || null);
  } else if (config.sample) {
    $("sample-select").value = config.sample;
    loading.requestSample(config.sample, { target: config.target || null, features: config.features || null, task: config.task || null });
  }
}

function applyFacts() {
  buildControls(facts);
  showDemo();
  wireLessons();
  wireLayout();
  modelPanel.setLayerLimits(facts.limits.max_layers, facts.limits.max_units);
  const { opened, config } = configFromHash(location.hash);
  modelPanel.applyModelSettings(config);
  if (opened) showLesson(opened.lesson, opened.tried);
  app.factsReady = true;
  updateControls();
  showNetwork();
  loadHashData(location.hash, config);
}

// Back or Forward: the controls, the lesson and the data as the entry names them.
function applyHash(hash) {
  const { opened, config } = configFromHash(hash);
  modelPanel.applyModelSettings(config);
  if (opened) showLesson(opened.lesson, opened.tried);
  else forgetLesson();
  const sampleChanged = config.sample && config.sample !== app.sample;
  if (linkedData(hash) || sampleChanged) loadHashData(hash, config);
  else if (config.target && app.columns.includes(config.target) && $("target-select").value !== config.target) {
    $("target-select").value = config.target;
    $("target-select").dispatchEvent(new Event("change", { bubbles: true }));
  }
  updateShareLink();
  showNetwork();
  document.querySelector("main").dispatchEvent(new Event("change", { bubbles: true }));
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
  wireUrlState(applyHash);
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
    showStatus("ready", `Ready (runtime loaded in ${seconds} s). Choose a sample, a lesson or a CSV file.`);
  }
}

main();
