// The learning-rate finder's actions: "Find a learning rate" asks the engine for the range
// test on the settings as the controls hold them (it starts and changes no run), and
// "Use this rate" puts the suggestion in the learning-rate input as a person typing it would,
// so the slider, the share link and the next Train, Resume or Step all take it.
//
// Event: fcnn:lr-found {the engine's find_learning_rate answer}, once the view has it.
import { $ } from "./dom.js";
import { emit } from "./events.js";
import { app, showError, showStatus, updateControls } from "./page.js";
import { runState } from "./run-state.js";
import { readConfig } from "./share-link.js";
import { createLrFinderView } from "./views/lr-finder.js";

const RATE_INPUTS = ["learning-rate", "learning-rate-slider"];
let view = null;
let finding = false;

// usable while idle, paused or done, with data and an engine; not while training or busy
export function refreshFinderButton() {
  $("lr-find-button").disabled = finding || !app.engine || !app.hasData || app.busy || app.restarting || runState() === "training";
}

async function findRate() {
  if ($("lr-find-button").disabled) return;
  const status = $("status");
  const before = { state: status.dataset.state, text: status.textContent };
  finding = true;
  app.busy = true; // Train and the file inputs wait for the answer
  updateControls();
  refreshFinderButton();
  showStatus("working", "Finding a learning rate: training a copy of the network while the rate grows…");
  let answer;
  try {
    answer = await app.engine.findLearningRate(readConfig());
  } finally {
    finding = false;
    app.busy = false;
    updateControls();
    refreshFinderButton();
  }
  if (answer.crashed) return; // the crash handler (recovery.js) takes over
  showStatus(before.state, before.text);
  if (!answer.ok) {
    showError(`Could not find a learning rate: ${answer.error}`);
    return;
  }
  showError("");
  view.show(answer);
  emit("fcnn:lr-found", answer);
}

function useRate() {
  const rate = view.rate();
  if (rate === null) return;
  const box = $("learning-rate");
  box.value = String(rate);
  // the events typing gives: the slider follows `input`, the share link and the graph line `change`
  box.dispatchEvent(new Event("input", { bubbles: true }));
  box.dispatchEvent(new Event("change", { bubbles: true }));
}

export function wireFinder() {
  view = createLrFinderView();
  $("lr-find-button").addEventListener("click", findRate);
  $("lr-use").addEventListener("click", useRate);
  // any setting but the rate itself (which "Use this rate" sets) makes a shown test out of date
  document.querySelector("main").addEventListener("change", (event) => {
    if (!RATE_INPUTS.includes(event.target.id)) view.markStale();
  });
  // the button follows the run, the engine and the data; each of those changes the status line
  document.addEventListener("fcnn:run-state", refreshFinderButton);
  document.addEventListener("fcnn:engine-state", refreshFinderButton);
  new MutationObserver(refreshFinderButton).observe($("status"), { attributes: true, childList: true, characterData: true });
  refreshFinderButton();
}
