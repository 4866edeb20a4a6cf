// What the page knows between events, the status line, the error box and which controls
// are usable: shared by the modules that act (data loading, the run, recovery, app.js).
import { $, sentence } from "./dom.js";
import { keepFocus } from "./focus-flow.js";
import { runState, stopWasAsked } from "./run-state.js";

export const app = {
  engine: null, // null until the engine is ready, and while a new one starts
  factsReady: false,
  restarting: false,
  busy: false,
  hasData: false,
  hasModel: false,
  dataQueued: false, // data chosen before the engine was ready, loaded once it is
  sample: "",
  columns: [],
  leftOut: {},
  features: [],
  previewRow: null,
  started: null,
  timing: null,
  target: "",
  classes: [],
  chart: null,
  lesson: "", // the lesson opened (lessons.js), named by the share link
  lessonTried: false,
};

export function showStatus(state, text, run = runState()) {
  const status = $("status");
  status.dataset.state = state;
  status.dataset.run = run;
  status.textContent = text;
}

export function showError(message) {
  const box = document.querySelector('[data-testid="error-message"]');
  box.textContent = message ? sentence(message) : "";
  box.hidden = !message;
}

export function updateControls() {
  // nothing reaches the engine until a new one holds the data and model again
  for (const part of document.querySelectorAll('[data-while-restarting="inert"]')) part.inert = app.restarting;
  const { hasData, hasModel, busy, factsReady } = app;
  // a run asked to stop is still training until its slice ends; a failed run's controls are a done one's
  const phase = { training: stopWasAsked() ? "stopping" : "training", failed: "done" }[runState()] || runState();
  const running = phase === "training" || phase === "stopping";
  const dataComing = hasData || app.dataQueued;
  $("train-button").disabled = running || phase === "paused" || !dataComing || busy;
  $("pause-button").disabled = phase !== "training";
  $("resume-button").disabled = phase !== "paused";
  $("step-button").disabled = phase !== "paused" && phase !== "done";
  $("stop-button").disabled = phase !== "training" && phase !== "paused";
  $("reset-button").disabled = phase === "idle" || running;
  for (const id of ["file-input", "sample-select", "model-file-input", "lesson-select"]) $(id).disabled = !factsReady || running || busy;
  $("predict-file-input").disabled = !app.engine || running || busy;
  $("target-select").disabled = running || !hasData;
  $("download-model").disabled = running || !hasModel;
  $("download-python").disabled = running || !hasModel;
  $("what-if-button").disabled = running || !hasModel;
  $("gradcheck-button").disabled = running || !app.engine;
  $("download-predictions").disabled = running || phase === "idle";
  keepFocus(phase);
}

// The what-if form starts from the first row of the loaded data, where it has the model's columns
// (the preview holds the first 100 columns only: a later one starts blank and the engine fills it in).
export function exampleRow() {
  if (!app.previewRow) return {};
  return Object.fromEntries(app.previewRow.map((cell, i) => [app.columns[i], cell]));
}
