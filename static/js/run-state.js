// The run's state machine: idle (no run), training, paused, done (stopped or finished),
// failed (an error ended it, or the engine stopped under it). Every transition is
// announced as fcnn:run-state. A stop asked for while training is a flag, not a state:
// the run stays `training` until its current slice ends.
import { emit } from "./events.js";

const STATES = ["idle", "training", "paused", "done", "failed"];
let state = "idle";
let stopAsked = false;

export const runState = () => state;

// a run that was started and has not ended: a failed engine loses it
export const runInProgress = () => state === "training" || state === "paused";

export function setRunState(next) {
  if (!STATES.includes(next)) throw new Error(`unknown run state ${next}`);
  if (next === state) return;
  if (next === "training") stopAsked = false;
  const previous = state;
  state = next;
  emit("fcnn:run-state", { state, previous });
}

export function askStop() {
  stopAsked = true;
}

export const stopWasAsked = () => stopAsked;
