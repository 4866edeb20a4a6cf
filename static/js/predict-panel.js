// Predicting with the model: the what-if form, the table of a predicted file,
// and the line that describes a loaded model file. Views only: app.js calls the engine.
import { $, el, sentence } from "./dom.js";

// One text field per feature, filled from the data's first row where it has that column.
export function showWhatIf(features, columns, firstRow) {
  const fields = features.map((name, i) => {
    const id = `what-if-${i}`;
    const input = el("input", null, { id, type: "text", "data-testid": "what-if-field" });
    input.name = name;
    const at = columns.indexOf(name);
    // the preview holds the first columns only: a later one starts empty (the engine fills it in)
    input.value = firstRow && at >= 0 && at < firstRow.length ? firstRow[at] : "";
    return [el("label", name, { for: id }), input];
  });
  $("what-if-fields").replaceChildren(...fields.flat());
  $("what-if-result").textContent = "";
}

export function whatIfValues() {
  const values = {};
  for (const input of $("what-if-fields").querySelectorAll("input")) values[input.name] = input.value;
  return values;
}

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
  $("model-info").textContent = `Loaded ${fileName}: predicts ${model.target} (${model.task}) from ${model.features.join(", ")}.${note}`;
}
