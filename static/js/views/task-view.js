// The task beside the task choice: what the engine detects for the chosen target and why,
// and whether the chosen override can train — shown as soon as data is loaded, before Train.
import { $ } from "../dom.js";

export const TASK_NAMES = {
  regression: "regression",
  binary: "binary classification",
  multiclass: "multi-class classification",
};

// The engine's describe_target answer for the current target; null when there is none.
let described = null;

// the engine's answer for the current target (null when none), for the drawing's planned outputs
export const describedTarget = () => described;

export function taskName(task) {
  return TASK_NAMES[task] || task;
}

export function classesText(classes, count) {
  if (!count) return "";
  const more = count > classes.length ? ", …" : "";
  return `${count} classes: ${classes.join(", ")}${more}`;
}

// Asks the engine about `target` and shows the answer. An engine error is shown in the note,
// never thrown: the rest of the page keeps working.
export async function describeTarget(engine, target) {
  if (!engine || !target) {
    described = null;
  } else {
    const answer = await engine.describeTarget(target);
    described = answer.ok ? answer : { problem: answer.error, options: {}, target };
  }
  render();
}

// Redraws from the last answer: the task select's own change needs no engine call.
export function render() {
  const note = $("task-detected");
  const select = $("task-select");
  const auto = select.querySelector('option[value="auto"]');
  if (!described) {
    auto.textContent = "automatic";
    note.textContent = "";
    delete note.dataset.conflict;
    return;
  }
  const d = described;
  const lines = [];
  let conflict = false;
  if (d.detected) {
    const classes = classesText(d.classes, d.n_classes);
    auto.textContent = `automatic (${taskName(d.detected)})`;
    lines.push(`Detected for ${d.target}: ${taskName(d.detected)}${classes ? ` (${classes})` : ""} — ${d.reason}.`);
  } else {
    auto.textContent = "automatic";
    lines.push(`${d.target} cannot be the target: ${d.problem}.`);
    conflict = true;
  }
  if (d.n_missing) {
    lines.push(`${d.n_missing} ${d.n_missing === 1 ? "row has" : "rows have"} no ${d.target} and will be left out.`);
  }
  const chosen = select.value;
  if (chosen !== "auto") {
    const problem = d.options[chosen];
    if (problem) {
      lines.push(`Your choice, ${taskName(chosen)}, cannot train on this column: ${problem}.`);
      conflict = true;
    } else if (problem === null && chosen !== d.detected) {
      lines.push(`Your choice overrides it: ${taskName(chosen)}.`);
    }
  }
  note.textContent = lines.join(" ");
  if (conflict) note.dataset.conflict = "true";
  else delete note.dataset.conflict;
}
