// Using a model: the what-if row, predicting a file, the gradient check, and the model
// file downloaded or loaded (a loaded model predicts without training).
import { $, downloadText } from "./dom.js";
import { formatSize, readBytes } from "./file-read.js";
import { whileBusy } from "./data-loading.js";
import { holdModel } from "./held.js";
import { app, exampleRow, showError, updateControls } from "./page.js";
import { redrawModelViews } from "./run-controller.js";
import * as network from "./views/network-view.js";
import * as predict from "./views/predict-panel.js";
import * as table from "./views/table-view.js";
import * as whatIf from "./views/what-if.js";

export async function predictWhatIf(event) {
  event.preventDefault();
  const answer = await app.engine.predictRow(whatIf.whatIfValues());
  if (!answer.ok) {
    showError(`The what-if row could not be predicted: ${answer.error}`);
    return;
  }
  showError("");
  whatIf.showWhatIfResult(app.target, answer, app.classes);
}

export async function predictFile(event) {
  const file = event.target.files[0];
  if (!file || app.busy) return;
  let answer;
  await whileBusy(`Predicting ${file.name} (${formatSize(file.size)})…`, async () => {
    try {
      answer = await app.engine.predictCsv(await readBytes(file), file.name);
    } catch (error) {
      answer = { ok: false, error: error.message };
    }
    return false; // the status before (the run's) stays
  });
  event.target.value = "";
  if (!answer.ok) {
    showError(`Could not predict ${file.name}: ${answer.error}`);
    return;
  }
  showError("");
  predict.showNewPredictions(answer, file.name, table.PAGE_ROWS);
}

export async function downloadModel() {
  const answer = await app.engine.modelJson();
  if (!answer.ok) {
    showError(answer.error);
    return;
  }
  downloadText(answer.text, "fcnn-model.json", "application/json");
}

export async function downloadPython() {
  const answer = await app.engine.modelPython();
  if (!answer.ok) {
    showError(answer.error);
    return;
  }
  downloadText(answer.text, answer.file_name, "text/x-python");
}

export async function loadModelFile(file) {
  if (!file || app.busy) return;
  let answer;
  let bytes = null;
  try {
    bytes = await readBytes(file);
    answer = await app.engine.loadModel(bytes);
  } catch (error) {
    answer = { ok: false, error: error.message };
  }
  if (!answer.ok) {
    showError(`Could not load ${file.name}: ${answer.error}`);
    return;
  }
  showError("");
  holdModel(bytes);
  app.hasModel = true;
  app.target = answer.target;
  predict.showModelInfo(file.name, answer, app.hasData ? app.columns : null);
  $("model-source").textContent = `These predict with the model file ${file.name} (predicting ${answer.target}), until a run replaces it.`;
  app.classes = answer.classes || [];
  whatIf.showWhatIf(answer.feature_fields, exampleRow());
  updateControls();
  await redrawModelViews();
}

export async function checkGradients() {
  $("gradcheck-button").disabled = true;
  const answer = await app.engine.gradientReport();
  $("gradcheck-button").disabled = false;
  if (!answer.ok) {
    showError(answer.error);
    return;
  }
  network.showGradientReport(answer);
}
