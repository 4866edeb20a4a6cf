// The Trace control: one mini-batch of the current run stepped through node by node —
// forward in topological order, backward in reverse, then the update, which takes the step
// as a counted training step (Session.trace_begin and trace_more, then take_traced_step).
// The trace arrives in parts (trace-parts.js): a step whose numbers are not in yet says so,
// and is drawn when they come.
//
// Events: dispatches fcnn:trace-step {name, phase} at every step (name and phase null when the
// trace ends), for the Graph view to highlight the node; listens to fcnn:node-chosen {name}
// (a node chosen in the Graph view) to jump to that node's step in the current phase.
// The run controller's part (start a run without training, pause, show a step's progress) comes
// in through wireTracePanel's `actions`, so this module only talks to the engine and the page.
// For the tests, #trace-panel says data-trace = off | loading | on, and data-step = the index of the
// step drawn with its numbers (#trace-step data-ready is false while they are on their way).
import { $, el, formatNumber } from "../dom.js";
import { emit } from "../events.js";
import { app, showError } from "../page.js";
import { runState } from "../run-state.js";
import { fetchRest, stepReady, traceFromFirstPart } from "./trace-parts.js";
import { checkView, stepView, traceSteps } from "./trace-steps.js";

// rest: the promise of the parts after the first (settled when the trace is all in or left)
const trace = { answer: null, steps: [], index: -1, taken: null, playing: false, busy: false, loading: false, rest: null };
let actions = null; // {startRunWithoutTraining, pauseRun, showTracedStep}

const traceOn = () => trace.answer !== null;
export const traceIsOn = () => traceOn() || trace.loading;
const currentStep = () => (traceOn() ? trace.steps[trace.index] : null);

function runStateIs(states) {
  if (states.includes(runState())) return Promise.resolve(runState());
  return new Promise((resolve) => {
    const listener = (event) => {
      if (!states.includes(event.detail.state)) return;
      document.removeEventListener("fcnn:run-state", listener);
      resolve(event.detail.state);
    };
    document.addEventListener("fcnn:run-state", listener);
  });
}

function showControls() {
  const on = traceOn();
  const last = trace.steps.length - 1;
  const step = currentStep();
  $("trace-button").disabled = !app.engine || trace.busy;
  $("trace-back").disabled = !on || trace.playing || trace.index <= 0; // goTo waits while busy
  $("trace-next").disabled = !on || trace.busy || trace.playing || trace.index >= last;
  $("trace-play").disabled = !on || (!trace.playing && (trace.busy || trace.index >= last));
  $("trace-play").textContent = trace.playing ? "Pause" : "Play";
  $("trace-play").setAttribute("aria-pressed", String(trace.playing));
  const kind = step && step.name ? trace.answer.nodes.find((n) => n.name === step.name).kind : null;
  $("trace-gradcheck").disabled = trace.busy || step?.phase !== "backward" || kind === "InputNode" || trace.taken !== null;
  const panel = $("trace-panel");
  panel.dataset.trace = trace.loading ? "loading" : on ? "on" : "off";
  $("trace-view").hidden = !on;
  // a control disabled under the keyboard's focus hands it to one that goes on (the arrows still work)
  if (panel.contains(document.activeElement) && document.activeElement.disabled) focusInPanel();
}

function focusInPanel() {
  const usable = ["trace-next", "trace-back", "trace-exit", "trace-button"].map($).find((b) => !b.disabled && b.offsetParent);
  if (usable) usable.focus();
}

function showLoss() {
  const loss = $("trace-loss");
  const { answer, taken } = trace;
  if (answer.loss === undefined) { // the loss node's forward is in a part still on its way
    loss.textContent = "…";
    delete loss.dataset.loss;
    delete loss.dataset.lossAfter;
    return;
  }
  loss.dataset.loss = String(answer.loss);
  if (currentStep().phase === "update" && taken?.ok) {
    loss.textContent = `${formatNumber(taken.loss)} → ${formatNumber(taken.loss_after)}`;
    loss.dataset.lossAfter = String(taken.loss_after);
  } else {
    loss.textContent = formatNumber(answer.loss);
    delete loss.dataset.lossAfter;
  }
}

// Draws the current step: only what it shows is on the page (a handful of ≤ 16×16 canvases).
function render() {
  showControls();
  if (!traceOn()) return;
  const step = currentStep();
  $("trace-phase").textContent = step.phase;
  $("trace-node").textContent = step.name ?? "";
  $("trace-node-label").hidden = step.name === null;
  $("trace-position").textContent = `step ${trace.index + 1} of ${trace.steps.length}`;
  showLoss();
  const view = $("trace-step");
  view.dataset.ready = String(stepReady(trace.answer, step));
  if (view.dataset.ready === "false") {
    view.replaceChildren(el("p", "Computing this step… (the trace arrives in parts)", { class: "hint" }));
    return;
  }
  view.replaceChildren(...stepView(trace.answer, step, trace.taken));
  view.dataset.phase = step.phase;
  view.dataset.node = step.name ?? "";
  view.dataset.taken = String(trace.taken !== null);
  $("trace-panel").dataset.step = String(trace.index);
}

async function takeStep() {
  const shown = trace.answer;
  trace.busy = true;
  render();
  const taken = await app.engine.takeTracedStep();
  trace.busy = false;
  // the step is taken even if the trace was left meanwhile: the progress shows it either way
  if (!taken.crashed) await actions.showTracedStep(taken);
  if (!traceOn() || trace.answer !== shown) return;
  trace.taken = taken;
  render();
}

async function goTo(index) {
  if (!traceOn() || index < 0 || index >= trace.steps.length || trace.busy) return;
  trace.index = index;
  $("trace-check-result").replaceChildren();
  const step = currentStep();
  render();
  emit("fcnn:trace-step", { name: step.name, phase: step.phase });
  if (step.phase !== "update" || trace.taken !== null) return;
  await trace.rest; // the step shown must be all in before it is taken
  if (currentStep() === step && trace.taken === null && !trace.busy) await takeStep();
}

const next = () => goTo(trace.index + 1);
const back = () => goTo(trace.index - 1);

function stopPlaying() {
  trace.playing = false;
  showControls();
}

async function play() {
  if (trace.playing) return stopPlaying();
  trace.playing = true;
  showControls();
  while (trace.playing && traceOn() && trace.index < trace.steps.length - 1) {
    await goTo(trace.index + 1);
    if (!trace.playing) break;
    await new Promise((resolve) => setTimeout(resolve, 1000 / Number($("trace-speed").value)));
  }
  stopPlaying();
}

// The parts after the first, asked for in the background; a step waiting for its numbers is
// drawn when they come. A part that fails ends the trace with the engine's message.
function fetchInBackground(answer) {
  const wanted = () => trace.answer === answer;
  trace.rest = fetchRest(app.engine, answer, wanted, () => {
    if ($("trace-step").dataset.ready === "false") render();
    else showLoss(); // the step shown was all in, but the batch's loss may have come only now
  }).then((failed) => {
    if (!failed || !wanted()) return;
    exitTrace();
    if (!failed.crashed) showError(`Could not trace the rest of the mini-batch: ${failed.error}`);
  });
}

function open(answer) {
  Object.assign(trace, { answer, steps: traceSteps(answer.nodes), index: -1, taken: null });
  fetchInBackground(answer);
  const panel = $("trace-panel");
  panel.dataset.rows = JSON.stringify(answer.rows);
  panel.dataset.tableRows = JSON.stringify(answer.table_rows);
  $("trace-batch").textContent = `Rows ${answer.table_rows.join(", ")} of the file (${answer.rows.length} in the batch), ${answer.optimizer}, learning rate ${formatNumber(answer.learning_rate)}.`;
  goTo(0);
  focusInPanel();
}

export function exitTrace() {
  if (!traceOn()) return;
  trace.playing = false;
  Object.assign(trace, { answer: null, steps: [], index: -1, taken: null, rest: null });
  $("trace-step").replaceChildren();
  $("trace-check-result").replaceChildren();
  render();
  emit("fcnn:trace-step", { name: null, phase: null });
}

// The run to trace: paused if it was training, started (not trained) if there is none.
async function readyRun() {
  if (runState() === "training") {
    actions.pauseRun();
    await runStateIs(["paused", "done", "failed", "idle"]);
  }
  if (runState() === "idle" || !app.started) return actions.startRunWithoutTraining();
  return true;
}

async function startTrace() {
  if (trace.busy || !app.engine) return;
  if (!app.hasData && !app.started) {
    showError("There is no data to trace: load a CSV file or choose a sample first, then press Trace one mini-batch.");
    return;
  }
  // the trace shown is left first: its parts stop coming, so none is asked for after the new
  // trace begins (the session would answer it from the new trace, to a loop that drops it)
  exitTrace();
  Object.assign(trace, { busy: true, loading: true });
  showControls();
  try {
    if (!(await readyRun())) return;
    const answer = await app.engine.traceBegin();
    if (!answer.ok) {
      if (!answer.crashed) showError(`Could not trace the next mini-batch: ${answer.error}`);
      return;
    }
    showError("");
    trace.busy = false;
    open(traceFromFirstPart(answer));
  } finally {
    Object.assign(trace, { busy: false, loading: false });
    showControls();
  }
}

async function checkGradient() {
  const step = currentStep();
  if (!step || step.phase !== "backward" || trace.busy) return;
  const result = $("trace-check-result");
  result.replaceChildren(el("p", `Checking dL/d${step.name} by central differences…`, { class: "hint" }));
  trace.busy = true;
  showControls();
  const answer = await app.engine.checkTraceGradient(step.name, trace.answer.rows);
  trace.busy = false;
  showControls();
  if (currentStep() !== step) return; // the trace moved on meanwhile
  result.replaceChildren(answer.ok ? checkView(answer) : el("p", `The check could not be made: ${answer.error}`, { class: "trace-problem" }));
}

function jumpToNode(name) {
  const step = currentStep();
  if (!step || trace.playing) return;
  const phase = step.phase === "update" ? "backward" : step.phase;
  const index = trace.steps.findIndex((s) => s.phase === phase && s.name === name);
  if (index >= 0) goTo(index);
}

function onKey(event) {
  if (!traceOn() || event.target.tagName === "SELECT") return;
  if (event.key === "ArrowRight") next();
  else if (event.key === "ArrowLeft") back();
  else return;
  event.preventDefault();
}

// actions: {startRunWithoutTraining, pauseRun, showTracedStep} from the run controller (app.js wires them).
export function wireTracePanel(given) {
  actions = given;
  $("trace-button").addEventListener("click", startTrace);
  $("trace-next").addEventListener("click", next);
  $("trace-back").addEventListener("click", back);
  $("trace-play").addEventListener("click", play);
  $("trace-exit").addEventListener("click", exitTrace);
  $("trace-gradcheck").addEventListener("click", checkGradient);
  $("trace-panel").addEventListener("keydown", onKey);
  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && traceOn()) exitTrace();
  });
  document.addEventListener("fcnn:node-chosen", (event) => jumpToNode(event.detail?.name));
  // a reset or a new run (not Resume) leaves the trace: it showed a run that is gone
  document.addEventListener("fcnn:run-state", ({ detail }) => {
    if (detail.state === "idle" || (detail.state === "training" && detail.previous !== "paused")) exitTrace();
  });
  document.addEventListener("fcnn:engine-state", (event) => {
    if (event.detail.state !== "ready") exitTrace();
    showControls();
  });
  showControls();
}
