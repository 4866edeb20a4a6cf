// The "what if" form: one field per feature, filled from the first row of the data.
// A text feature is a list of the categories the model knows; a blank field takes the
// value training filled missing cells with, which the placeholder says.
import { $, el, formatNumber } from "../dom.js";

// fields: the engine's feature_fields ({name, kind, categories, fill}); example: {column: cell}
export function showWhatIf(fields, example = {}) {
  const controls = fields.map((field, i) => {
    const id = `what-if-${i}`;
    const value = example[field.name] ?? "";
    let control;
    if (field.kind === "categorical") {
      control = el("select", null, { id, "data-testid": "what-if-field" });
      const blank = el("option", `(missing: counts as ${field.fill})`);
      blank.value = "";
      control.append(blank);
      for (const category of field.categories) {
        const option = el("option", category);
        option.value = category;
        control.append(option);
      }
      control.value = field.categories.includes(value) ? value : "";
    } else {
      control = el("input", null, {
        id, type: "text", inputmode: "decimal", "data-testid": "what-if-field",
        placeholder: `blank: ${formatNumber(field.fill)}`,
      });
      control.value = value;
    }
    control.name = field.name;
    return [el("label", field.name, { for: id }), control];
  });
  $("what-if-fields").replaceChildren(...controls.flat());
  $("what-if-result").textContent = "";
}

export function whatIfValues() {
  const values = {};
  for (const control of $("what-if-fields").querySelectorAll("input, select")) values[control.name] = control.value;
  return values;
}

// answer: the engine's predict_row answer; classes: the model's class labels ([] for regression)
export function showWhatIfResult(target, answer, classes) {
  let text = `Predicted ${target}: ${answer.prediction}`;
  if (classes.length && answer.output.length === classes.length) {
    const at = classes.indexOf(String(answer.prediction));
    if (at >= 0) text += ` (probability ${answer.output[at].toFixed(2)})`;
  }
  $("what-if-result").textContent = text;
}
