// Recovery from a broken engine: when the worker's Pyodide has failed (see engine.js), or
// the user gave up on a call that does not answer, a new worker is started and what the
// page held (held.js) is given back to it, so the user trains again without a reload and
// loses nothing but the run that was in progress.
import { connectEngine, replaceEngineScript } from "./engine.js";
import { emitEngineState } from "./events.js";
import { held } from "./held.js";
import { app, exampleRow, showError, showStatus, updateControls } from "./page.js";
import { redrawModelViews } from "./run-controller.js";
import { runInProgress, setRunState } from "./run-state.js";
import { showSlowCall, waitedSeconds } from "./views/slow-engine.js";
import * as whatIf from "./views/what-if.js";

export const LOAD_TIMEOUT_MS = 120_000;

export function withTimeout(promise, ms) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`It was still loading after ${ms / 1000} s.`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

// A new engine with the held data and model loaded into it.
// Answers {engine, dataBack, modelBack}: modelBack is load_model's answer (or null).
async function restartEngine() {
  replaceEngineScript();
  const engine = await connectEngine(() => {}, onEngineCrash, onSlowCall);
  let dataBack = false;
  let modelBack = null;
  if (held.data) {
    const { kind, payload, name, seed } = held.data;
    const answer = kind === "toy" ? await engine.loadSample(name, seed) : await engine.loadCsv(payload, name);
    dataBack = answer.ok;
  }
  if (held.modelText) {
    const answer = await engine.loadModel(held.modelText);
    if (answer.ok) modelBack = answer;
  }
  return { engine, dataBack, modelBack };
}

// A call that has not answered for long (or null once it answers): the user may restart the engine.
let slowCall = null;

export function onSlowCall(call) {
  slowCall = call;
  showSlowCall(call);
}

export function onRestartEngine() {
  const call = slowCall;
  if (!call || !app.engine) return;
  onSlowCall(null);
  app.engine.abandon(`it had not answered for ${waitedSeconds(call)} s, and you restarted it`);
}

// The engine failed. Whether a run was lost is the run controller's state at that moment,
// whichever of the pending calls' failures arrived first.
export async function onEngineCrash(error) {
  if (app.restarting) return;
  app.restarting = true;
  onSlowCall(null);
  const reason = String(error.message || error).split("\n")[0];
  const runLost = runInProgress();
  if (runLost) setRunState("failed");
  emitEngineState("crashed");
  updateControls();
  showStatus("loading", "The engine stopped; starting a new one…", "idle");
  emitEngineState("restarting");
  let restarted;
  try {
    restarted = await withTimeout(restartEngine(), LOAD_TIMEOUT_MS);
  } catch (failure) {
    app.restarting = false;
    emitEngineState("crashed");
    updateControls();
    showStatus("error", "The engine stopped and could not be restarted.");
    showError(`The engine stopped (${reason}) and a new one did not start (${failure.message}). Reload the page.`);
    return;
  }
  await takeRestarted(restarted, reason, runLost);
}

async function takeRestarted(restarted, reason, runLost) {
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
  const lost = runLost ? " The run in progress was lost." : "";
  showError(
    `The engine stopped (${reason}) and was restarted without a reload; ${kept.join(" and ") || "nothing was loaded yet"}.` +
      `${lost} Press Train to train again.`,
  );
  showStatus("ready", "Ready: the engine was restarted. Press Train to train again.");
}
