// Keyboard focus follows the run: when the focused training button becomes disabled
// (Train once training starts, Pause once paused), focus moves to the button that
// carries on, so a keyboard user is never dropped back to the top of the page.
import { $ } from "./dom.js";

const RUN_BUTTONS = ["train-button", "pause-button", "resume-button", "step-button", "stop-button", "reset-button"];
const NEXT_BY_PHASE = {
  training: ["pause-button", "stop-button"],
  stopping: ["train-button"],
  paused: ["resume-button", "step-button"],
  done: ["train-button"],
  idle: ["train-button"],
};

let lastFocused = null;

export function trackFocus() {
  document.addEventListener("focusin", (event) => {
    lastFocused = event.target;
  });
}

export function keepFocus(phase) {
  const left = lastFocused;
  if (!left || !RUN_BUTTONS.includes(left.id) || !left.disabled) return;
  // focus moved on by itself (the user tabbed away): leave it where it is
  const active = document.activeElement;
  if (active && active !== left && active !== document.body) return;
  const next = (NEXT_BY_PHASE[phase] || []).map($).find((button) => button && !button.disabled);
  if (next) next.focus({ preventScroll: true }); // the reader stays where they were
}
