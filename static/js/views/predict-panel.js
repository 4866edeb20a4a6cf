// Predicting with the model: the table of a predicted file and the line that
// describes a loaded model file. Views only: app.js calls the engine.
import { $, el, sentence } from "../dom.js";
import { taskName } from "./task-view.js";

// The first `limit` predicted rows of a file, and a note on what was predicted and left out.
export function showNewPredictions(answer, fileName, limit) {
  const shown = answer.rows.slice(0, limit);
  const header = el("tr");
  for (const name of [...answer.columns, `predicted ${answer.target}`]) header.append(el("th", name, { scope: "col" }));
  const table = $("new-predictions-table");
  table.tHead.replaceChildren(header);
  table.tBodies[0].replaceChildren(
    ...shown.map((cells, i) => {
      const tr = el("tr");
      for (const cell of [...cells, answer.predictions[i]]) tr.append(el("td", cell));
      return tr;
    }),
  );
  const more = answer.n_rows > shown.length ? ` The first ${shown.length} are shown.` : "";
  const notes = answer.notes.map(sentence).join(" ");
  $("predict-note").textContent = `${fileName}: ${answer.predictions.length} rows predicted.${more} ${notes}`.trim();
  table.dataset.predictions = JSON.stringify(answer.predictions);
}

// What a loaded model file predicts, and a note when the loaded data lacks its columns.
export function showModelInfo(fileName, model, dataColumns) {
  const absent = dataColumns ? model.features.filter((name) => !dataColumns.includes(name)) : [];
  const note = absent.length
    ? ` The loaded data has no column ${absent.slice(0, 5).join(", ")}${absent.length > 5 ? ", …" : ""}: ` +
      "predict with the what-if form, or with a CSV file that has the model's columns."
    : "";
  $("model-info").textContent = `Loaded ${fileName}: predicts ${model.target} (${taskName(model.task)}) from ${model.features.join(", ")}.${note}`;
}
