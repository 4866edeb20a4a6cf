// The data panel: the loaded table's summary, preview, target, features, task, split and scaling.
import { $, el, row, sentence } from "../dom.js";
import { classesText, taskName } from "./task-view.js";

export function showDataset(info) {
  const n = info.columns.length;
  // the session sends the first columns only (100) of a very wide file
  const shown = info.column_info.length;
  const cut = n > shown ? ` (the preview shows the first ${shown})` : "";
  const rows = `${info.n_rows} ${info.n_rows === 1 ? "row" : "rows"}`;
  $("dataset-info").textContent = `${info.name}: ${rows}, ${n} ${n === 1 ? "column" : "columns"}${cut}`;
  showNotes($("data-notes"), info.notes);
  const summary = $("column-summary").tBodies[0];
  summary.replaceChildren(...info.column_info.map((c) => row([c.name, c.kind, c.n_missing, c.n_distinct])));
  const preview = $("data-preview");
  preview.tHead.replaceChildren(row(info.columns.slice(0, shown), true));
  // the session caps the preview at 20 rows, so this DOM stays small for any file
  preview.tBodies[0].replaceChildren(...info.preview.slice(0, 20).map((cells) => row(cells)));
}

// `guessed`: the column was the engine's guess (a file of the user's), shown as such until the
// user chooses — what to predict is the first choice after a file loads.
export function showTargetOptions(columns, selected, guessed = false) {
  const box = $("target-choice");
  box.dataset.guess = String(guessed && columns.length > 0);
  $("target-guess").textContent = guessed && columns.length
    ? `A guess: ${selected}, the last column with values. Choose the column you want the network to predict.` : "";
  const select = $("target-select");
  select.replaceChildren(
    ...columns.map((name) => {
      const option = el("option", name);
      option.value = name;
      option.selected = name === selected;
      return option;
    }),
  );
  select.disabled = columns.length === 0;
}

// The user chose the column to predict: it is no longer a guess.
export function confirmTarget() {
  $("target-choice").dataset.guess = "false";
  $("target-guess").textContent = "";
}

const SETTING_TEXTS = {
  hidden_layers: (v) => (v.length ? `${v.length} hidden ${v.length === 1 ? "layer" : "layers"} of ${v.join(", ")}` : "no hidden layer"),
  activation: (v) => v,
  optimizer: (v) => v,
  learning_rate: (v) => `learning rate ${v}`,
  epochs: (v) => `${v} epochs`,
  batch_size: (v) => `batch ${v}`,
  weight_decay: (v) => (Number(v) ? `L2 ${v}` : ""),
  early_stopping: (v) => (Number(v) ? `patience ${v}` : "no early stopping"),
};
const EXPECT_TEXTS = { accuracy_at_least: "test accuracy", r2_at_least: "test R²" };

// The settings a sample opened with (facts: sample.settings), and what they reach; null hides it.
export function showSampleSettings(sample) {
  const line = $("sample-settings");
  if (!sample?.settings) {
    line.hidden = true;
    line.textContent = "";
    return;
  }
  const said = Object.entries(SETTING_TEXTS).map(([key, text]) => (key in sample.settings ? text(sample.settings[key]) : "")).filter(Boolean);
  const reach = Object.entries(sample.expect || {}).map(([key, value]) => `${EXPECT_TEXTS[key] || key} ≥ ${value}`);
  line.textContent = `${sample.title} opened with the settings that solve it: ${said.join(", ")}` + (reach.length ? ` (it reaches ${reach.join(", ")}).` : ".");
  line.hidden = false;
}

// A checkbox each for the first FEATURE_BOXES columns except the target; the
// columns after them (a file of thousands of columns) are always used, as the
// list says: 10,000 checkboxes would take seconds to lay out.
const FEATURE_BOXES = 200;
const features = { unlisted: [], leftOut: {} };

// `chosen` null means every column but those in `leftOut` ({name: why}: the engine's
// ids and free text), which are shown unticked with the reason beside them.
export function showFeatures(columns, target, chosen, leftOut = {}) {
  const candidates = columns.filter((name) => name !== target);
  const wanted = chosen ? new Set(chosen) : null;
  features.leftOut = leftOut;
  features.unlisted = candidates.slice(FEATURE_BOXES).filter((name) => (wanted ? wanted.has(name) : !Object.hasOwn(leftOut, name)));
  const items = candidates.slice(0, FEATURE_BOXES).map((name, index) => {
    const id = `feature-${index}`;
    const box = el("input", null, { type: "checkbox", id, "data-testid": "feature-checkbox" });
    box.value = name;
    const why = Object.hasOwn(leftOut, name) ? leftOut[name] : null;
    box.checked = wanted ? wanted.has(name) : !why;
    const label = el("label", name, { for: id });
    if (why) label.append(el("span", /a row number|named like an identifier/.test(why) ? " (an id or row number?)" : " (an id or free text?)", { class: "hint", title: why }));
    const item = el("div", null, { class: "check" });
    item.append(box, label);
    return item;
  });
  if (features.unlisted.length) {
    items.push(el("p", `and ${features.unlisted.length} more columns, all used`, { class: "hint", "data-testid": "unlisted-features" }));
  }
  $("feature-list").replaceChildren(...items);
}

export function chosenFeatures() {
  const boxes = [...$("feature-list").querySelectorAll("input[type=checkbox]")];
  const chosen = boxes.filter((b) => b.checked).map((b) => b.value);
  // null ("every column") lets the engine leave ids out: not when the user ticked one
  const tickedLeftOut = chosen.some((name) => Object.hasOwn(features.leftOut, name));
  return chosen.length === boxes.length && !tickedLeftOut ? null : [...chosen, ...features.unlisted];
}

// The feature columns as ticked now, by name (the columns past the list included).
export function tickedFeatureNames() {
  const boxes = [...$("feature-list").querySelectorAll("input[type=checkbox]")];
  return [...boxes.filter((b) => b.checked).map((b) => b.value), ...features.unlisted];
}

// After Train: the task the run trains, its split, and what preparing the data did
// (missing cells filled, rows without a target left out, columns left out).
export function showTask(started) {
  const classes = started.classes && started.classes.length ? ` (${classesText(started.classes.slice(0, 10), started.classes.length)})` : "";
  $("task-info").textContent =
    `Training: ${taskName(started.task)}${classes}; ${started.n_train} training rows, ${started.n_test} test rows.`;
  // the file's own notes are already shown under it
  const fileNotes = [...$("data-notes").children].map((item) => item.textContent);
  showNotes($("run-notes"), started.notes.filter((note) => !fileNotes.includes(sentence(note))));
}

// A run of other data was cleared: its task line and run notes go with it.
export function clearTask() {
  $("task-info").textContent = "";
  showNotes($("run-notes"), []);
}

// Sentences from the engine about what it repaired, guessed or left out.
function showNotes(list, notes) {
  list.replaceChildren(...notes.map((note) => el("li", sentence(note), { "data-testid": "note" })));
}
