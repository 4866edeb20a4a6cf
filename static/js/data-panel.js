// The data panel: the loaded table's summary, preview, target, features, task, split and scaling.
import { $, el, row } from "./dom.js";
import { classesText, taskName } from "./task-view.js";

export function showDataset(info) {
  const notes = info.notes && info.notes.length ? ` (${info.notes.join("; ")})` : "";
  $("dataset-info").textContent = `${info.name}: ${info.n_rows} rows, ${info.columns.length} columns${notes}`;
  const summary = $("column-summary").tBodies[0];
  summary.replaceChildren(...info.column_info.map((c) => row([c.name, c.kind, c.n_missing, c.n_distinct])));
  const preview = $("data-preview");
  preview.tHead.replaceChildren(row(info.columns, true));
  // the session caps the preview at 20 rows, so this DOM stays small for any file
  preview.tBodies[0].replaceChildren(...info.preview.slice(0, 20).map((cells) => row(cells)));
}

export function showTargetOptions(columns, selected) {
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

// One checkbox per column except the target; `chosen` null means every one.
export function showFeatures(columns, target, chosen) {
  const list = $("feature-list");
  list.replaceChildren(
    ...columns
      .filter((name) => name !== target)
      .map((name, index) => {
        const id = `feature-${index}`;
        const box = el("input", null, { type: "checkbox", id, "data-testid": "feature-checkbox" });
        box.value = name;
        box.checked = !chosen || chosen.includes(name);
        const label = el("label", name, { for: id });
        const item = el("div", null, { class: "check" });
        item.append(box, label);
        return item;
      }),
  );
}

export function chosenFeatures() {
  const boxes = [...$("feature-list").querySelectorAll("input[type=checkbox]")];
  const chosen = boxes.filter((b) => b.checked).map((b) => b.value);
  return chosen.length === boxes.length ? null : chosen;
}

// After Train: the task the run trains, its split, and what preparing the data did
// (missing cells filled, rows without a target left out, columns left out).
export function showTask(started) {
  const classes = started.classes && started.classes.length ? ` (${classesText(started.classes.slice(0, 10), started.classes.length)})` : "";
  const notes = started.report && started.report.notes ? started.report.notes : [];
  $("task-info").textContent =
    `Training: ${taskName(started.task)}${classes}; ${started.n_train} training rows, ${started.n_test} test rows.` +
    (notes.length ? ` Note: ${notes.join("; ")}.` : "");
}
