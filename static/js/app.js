// Wiring: page events → engine calls → views. One direction of flow:
// data → graph → trainer → events → views.
import { connectEngine } from "./engine.js";
import * as views from "./views.js";

// Training runs in slices this long, so Stop waits at most one slice.
const SLICE_MS = 80;
const SAMPLES = { boston: { url: "./static/data/boston.csv", name: "boston.csv", target: "MEDV" } };
const LOAD_TIMEOUT_MS = 120_000;
const $ = (id) => document.getElementById(id);

function withTimeout(promise, ms) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`It was still loading after ${ms / 1000} s.`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

const state = { engine: null, hasData: false, training: false, stopRequested: false };

function setBusy(training) {
  state.training = training;
  $("train-button").disabled = training || !state.hasData;
  $("stop-button").disabled = !training;
  for (const id of ["file-input", "sample-select", "target-select"]) $(id).disabled = training || (id === "target-select" && !state.hasData);
}

function readConfig() {
  return {
    target: $("target-select").value,
    hidden_units: $("hidden-units").value,
    learning_rate: $("learning-rate").value,
    epochs: $("epochs").value,
    batch_size: $("batch-size").value,
    seed: $("seed").value,
  };
}

async function loadText(text, name, preferredTarget) {
  const answer = await state.engine.loadCsv(text, name);
  if (!answer.ok) {
    // the engine kept the table it had; so does the page
    views.showError(`Could not load ${name}: ${answer.error}`);
    return;
  }
  views.showError("");
  state.hasData = true;
  views.renderDatasetInfo(answer);
  const target = answer.columns.includes(preferredTarget) ? preferredTarget : answer.suggested_target;
  views.renderTargetOptions(answer.columns, target);
  setBusy(false);
  views.showStatus("ready", `Ready: ${name} loaded. Choose the column to predict and press Train.`);
}

async function onFileChosen(event) {
  const file = event.target.files[0];
  if (!file) return;
  $("sample-select").value = "";
  let text;
  try {
    text = await file.text();
  } catch (error) {
    views.showError(`Could not read ${file.name}: ${error.message}. Choose the file again.`);
    return;
  }
  await loadText(text, file.name, null);
}

async function onSampleChosen(event) {
  const sample = SAMPLES[event.target.value];
  if (!sample) return;
  const response = await fetch(sample.url);
  if (!response.ok) {
    views.showError(`Could not fetch the sample ${sample.name} (HTTP ${response.status}); reload the page.`);
    return;
  }
  await loadText(await response.text(), sample.name, sample.target);
}

async function onTrain() {
  const config = readConfig();
  const started = await state.engine.start(config);
  if (!started.ok) {
    views.showError(started.error);
    return;
  }
  views.showError("");
  views.clearResults();
  views.renderGraphOrder(started.nodes);
  state.chart.reset();
  const total = started.config.epochs;
  views.renderProgress(0, total, null);
  setBusy(true);
  state.stopRequested = false;
  views.showStatus("training", `Training on ${started.n_train} rows (${started.n_test} held out for testing)…`);
  let epoch = 0;
  let failure = null;
  while (!state.stopRequested) {
    const slice = await state.engine.trainFor(SLICE_MS);
    if (!slice.ok) {
      failure = slice.error;
      break;
    }
    if (slice.epochs.length) {
      const [lastEpoch, lastLoss] = slice.epochs[slice.epochs.length - 1];
      epoch = lastEpoch;
      views.renderProgress(lastEpoch, total, lastLoss);
      state.chart.append(slice.epochs);
    }
    if (slice.finished) break;
  }
  setBusy(false);
  if (failure) {
    views.showError(failure);
    views.showStatus("error", "Training stopped with an error. Ready to train again.");
    return;
  }
  const results = await state.engine.results();
  if (!results.ok) {
    views.showError(results.error);
    views.showStatus("error", "Could not compute the results. Ready to train again.");
    return;
  }
  views.renderResults(results);
  const how = state.stopRequested ? `Stopped after epoch ${epoch}` : `Trained ${epoch} epochs`;
  const score =
    results.task === "regression" ? `Test R² ${results.r2.toFixed(4)}` : `Test accuracy ${results.accuracy.toFixed(4)}`;
  views.showStatus("done", `${how}. ${score}. Ready to train again.`);
}

function onStop() {
  state.stopRequested = true;
  $("stop-button").disabled = true;
}

async function main() {
  const loadingStarted = performance.now();
  const ticker = setInterval(() => {
    const seconds = ((performance.now() - loadingStarted) / 1000).toFixed(0);
    views.showStatus("loading", `Loading the Python runtime (Pyodide, numpy, fcnn)… ${seconds} s`);
  }, 500);
  state.chart = views.createLossChart($("loss-chart"));
  $("file-input").addEventListener("change", onFileChosen);
  $("sample-select").addEventListener("change", onSampleChosen);
  $("train-button").addEventListener("click", onTrain);
  $("stop-button").addEventListener("click", onStop);
  setBusy(false);
  try {
    state.engine = await withTimeout(connectEngine(), LOAD_TIMEOUT_MS);
  } catch (error) {
    views.showStatus("error", "The Python runtime did not start.");
    views.showError(
      `${error.message} Reload the page; if it happens again, rebuild the runtime with \`make vendor\` ` +
        "and check the browser console.",
    );
    return;
  } finally {
    clearInterval(ticker);
  }
  const seconds = ((performance.now() - loadingStarted) / 1000).toFixed(1);
  document.body.dataset.readyMs = String(Math.round(performance.now() - loadingStarted));
  views.showStatus("ready", `Ready (runtime loaded in ${seconds} s). Choose a CSV file or a sample.`);
}

main();
