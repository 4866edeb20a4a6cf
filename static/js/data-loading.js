// Loading data: a user's file (chosen or dropped), a sample (fetched CSV or a generated toy
// set), and what the user chose before the engine was ready, carried out once it is.
import { $ } from "./dom.js";
import { emit } from "./events.js";
import { facts, sampleNamed, sampleTitle } from "./facts.js";
import { formatSize, readBytes } from "./file-read.js";
import { app, showError, showStatus, updateControls } from "./page.js";
import { holdCsv, holdToySample } from "./held.js";
import { shareHash, updateShareLink } from "./share-link.js";
import { pushUrlState } from "./url-state.js";
import { unpackTable } from "./data-link.js";
import * as dataPanel from "./views/data-panel.js";
import * as modelPanel from "./views/model-panel.js";
import * as taskView from "./views/task-view.js";

// the toy data's own seed is fixed, so a link (sample name + settings) always names the same table
const TOY_DATA_SEED = 0;

// `preferredTarget` null: the engine's guess is taken, and shown as a guess to check first.
async function showLoaded(answer, preferredTarget, preferredFeatures) {
  showError("");
  emit("fcnn:data-replaced", { name: answer.name }); // what belonged to the data before is cleared
  app.hasData = true;
  app.columns = answer.columns;
  app.leftOut = answer.left_out;
  app.previewRow = answer.preview[0] || null;
  dataPanel.showDataset(answer);
  const target = answer.columns.includes(preferredTarget) ? preferredTarget : answer.suggested_target;
  dataPanel.showTargetOptions(answer.columns, target, !answer.columns.includes(preferredTarget));
  dataPanel.showFeatures(answer.columns, target, preferredFeatures, answer.left_out);
  // a task chosen for the old data does not carry over to new data (a link's task is put back after)
  $("task-select").value = "auto";
  await taskView.describeTarget(app.engine, target);
  updateControls();
  updateShareLink();
  emit("fcnn:data-loaded", { name: answer.name });
  const guessed = !answer.columns.includes(preferredTarget);
  showStatus("ready", guessed
    ? `Ready: ${answer.name} loaded. First choose what to predict (${target} is a guess), then press Train.`
    : `Ready: ${answer.name} loaded. Check the column to predict and its task, then press Train.`);
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
export async function whileBusy(text, work) {
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
  if (!file || app.busy) return false;
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
    dataPanel.showSampleSettings(null);
    updateShareLink();
  }
  return loaded;
}

// Arrow keys on the sample list choose one sample after another: only the latest choice loads.
let sampleRequest = 0;

// A sample chosen from the list opens with the settings that solve it (facts: sample.settings).
function applySampleSettings(sample) {
  if (!sample.settings || !Object.keys(sample.settings).length) return;
  modelPanel.applyModelSettings(sample.settings);
  dataPanel.showSampleSettings(sample);
  // the controls changed: the share link, the drawing and the graph follow (app.js listens on main)
  document.querySelector("main").dispatchEvent(new Event("change", { bubbles: true }));
}

async function loadToySample(name, preferredTarget, preferredFeatures) {
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

async function loadSample(name, preferredTarget = null, preferredFeatures = null, withSettings = false) {
  const request = ++sampleRequest;
  const sample = sampleNamed(name);
  if (!sample) return false;
  if (withSettings) applySampleSettings(sample);
  else dataPanel.showSampleSettings(null);
  if (!sample.file) return loadToySample(name, preferredTarget, preferredFeatures);
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

// -- before the engine is ready: the latest choice of data, a model file, and Train wait for it --
const queued = { data: null, modelFile: null, train: false };

export function waitingNote() {
  const what = [];
  if (queued.data) what.push(`${queued.data.title} will load${queued.train ? " and train" : ""}`);
  if (queued.modelFile) what.push(`the model ${queued.modelFile.name} will load`);
  return what.length ? `Waiting for the engine to start — ${what.join(" and ")} when it is ready` : "";
}

function queue(change) {
  Object.assign(queued, change);
  app.dataQueued = queued.data !== null;
  updateControls();
  showStatus("loading", `${waitingNote()}.`);
}

// A sample chosen: from the list (withSettings: it opens with the settings that solve it, and is
// a history entry), or by a link or a lesson (their target, features, task and settings come with them).
export function requestSample(name, { target = null, features = null, task = null, withSettings = false } = {}) {
  if (!sampleNamed(name)) return Promise.resolve(false);
  if (!app.engine) {
    if (withSettings) applySampleSettings(sampleNamed(name));
    queue({ data: { kind: "sample", name, target, features, task, title: sampleTitle(name) } });
    return Promise.resolve(false);
  }
  return loadSample(name, target, features, withSettings).then((loaded) => {
    if (loaded && task && facts.choices.task.includes(task)) {
      $("task-select").value = task;
      taskView.render();
    }
    if (loaded && withSettings) pushUrlState(shareHash());
    return loaded;
  });
}

// A link that carries its table (data-link.js): the table, then its target, features and task.
export async function requestLinkedData(linked, target = null, features = null, task = null) {
  let bytes;
  try {
    bytes = await unpackTable(linked.packed);
  } catch (error) {
    showError(`This link's table could not be read: ${error.message}. Nothing was loaded; ask for the link again ` +
      "(copied whole), or load the CSV file itself.");
    return false;
  }
  const data = { kind: "linked", bytes, name: linked.name, target, features, task, title: linked.name };
  if (!app.engine) {
    queue({ data });
    return false;
  }
  return loadLinked(data);
}

async function loadLinked({ bytes, name, target, features, task }) {
  const loaded = await whileBusy(`Reading ${name} from the link…`, () => loadData(bytes, name, target, features));
  if (loaded && task && facts.choices.task.includes(task)) {
    $("task-select").value = task;
    taskView.render();
  }
  if (loaded) app.sample = "";
  return loaded;
}

// A file chosen or dropped.
export function requestFile(file) {
  if (!file) return Promise.resolve(false);
  if (!app.engine) {
    queue({ data: { kind: "file", file, title: file.name } });
    return Promise.resolve(false);
  }
  return loadFile(file);
}

export function requestModelFile(file, load) {
  if (app.engine) return load(file);
  queue({ modelFile: file });
  return Promise.resolve();
}

export function requestTrain(train) {
  if (app.engine) return train();
  queue({ train: true });
  return Promise.resolve();
}

// Once the engine is ready: the queued data first, then the model file, then Train (if the data loaded).
export async function runQueued(loadModelFile, train) {
  const { data, modelFile, train: trainAsked } = queued;
  Object.assign(queued, { data: null, modelFile: null, train: false });
  let loaded = false;
  if (data?.kind === "file") loaded = await loadFile(data.file);
  else if (data?.kind === "linked") loaded = await loadLinked(data);
  else if (data) loaded = await requestSample(data.name, data);
  app.dataQueued = false;
  updateControls();
  if (modelFile) await loadModelFile(modelFile);
  if (trainAsked && loaded) await train();
}
