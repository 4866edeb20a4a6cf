// Results: the headline metric (in the Output column) and, in the Results sheet, a predicted-vs-
// actual scatter with y = x and the residuals (regression), or the confusion matrix with the
// per-class precision and recall (classification); and how the run ended (an early stop named).
import { $, el, formatNumber, row } from "../dom.js";
import { drawConfusion } from "./confusion-heatmap.js";
import { drawResiduals, drawScatter } from "./scatter-plot.js";

export function clearResults() {
  for (const id of ["metric-r2", "metric-rmse", "metric-mae", "metric-accuracy"]) $(id).textContent = "–";
  $("results-note").textContent = "";
  $("results-summary").textContent = "Train a network to see its results on the test rows.";
  document.querySelector('[data-testid="headline"]').dataset.shown = "false";
  $("per-class-table").tBodies[0].replaceChildren();
  $("per-class-table").hidden = true;
  $("confusion-table").tHead.replaceChildren();
  $("confusion-table").tBodies[0].replaceChildren();
  $("confusion-details").hidden = true;
  $("headline-label").textContent = "Test R²";
  $("regression-metrics").hidden = false;
  $("accuracy-metric").hidden = false;
  for (const id of ["results-canvas", "residuals-canvas"]) {
    const canvas = $(id);
    canvas.getContext("2d").clearRect(0, 0, canvas.width, canvas.height);
  }
}

// How the run ended, as the CLI says it: an early stop names the epoch whose weights are kept.
export function endingText(results) {
  if (results.stop_reason === "early_stopping" && results.best_epoch) {
    return `stopped early at epoch ${results.epoch} of ${results.epochs_planned}: the validation loss was best at epoch ` +
      `${results.best_epoch}, and those weights are kept`;
  }
  return `after ${results.epoch} ${results.epoch === 1 ? "epoch" : "epochs"}`;
}

export function showResults(results) {
  clearResults();
  const m = results.metrics;
  const ending = endingText(results);
  const early = results.stop_reason === "early_stopping" && results.best_epoch;
  $("results-note").textContent = early
    ? `stopped early: epoch ${results.best_epoch}'s weights kept · ${results.n_test} test rows`
    : `after ${results.epoch} epochs · ${results.n_test} test rows`;
  $("results-summary").textContent = `On ${results.n_test} test rows, ${ending}.`;
  document.querySelector('[data-testid="headline"]').dataset.shown = "true";
  $("residuals-canvas").hidden = results.task !== "regression";
  // only the task's own scores: the headline carries a classifier's accuracy
  $("regression-metrics").hidden = results.task !== "regression";
  $("accuracy-metric").hidden = true;
  if (results.task === "regression") {
    $("metric-r2").textContent = results.r2.toFixed(4);
    $("metric-rmse").textContent = formatNumber(m.rmse);
    $("metric-mae").textContent = formatNumber(m.mae);
    drawScatter($("results-canvas"), results.rows);
    drawResiduals($("residuals-canvas"), results.rows);
  } else {
    // the r2 hook shows the headline score for every task
    $("headline-label").textContent = "Test";
    $("metric-r2").textContent = `accuracy ${results.accuracy.toFixed(4)}`;
    $("metric-accuracy").textContent = results.accuracy.toFixed(4);
    drawConfusion($("results-canvas"), m.classes, m.confusion_matrix);
    $("per-class-table").hidden = false;
    $("per-class-table").tBodies[0].replaceChildren(
      ...m.classes.map((name, i) => row([name, formatNumber(m.precision[i]), formatNumber(m.recall[i])])),
    );
    showConfusionTable(m.classes, m.confusion_matrix);
  }
}

// The heatmap's numbers as a table: readable by a screen reader, and exact for any class count.
function showConfusionTable(classes, matrix) {
  const table = $("confusion-table");
  table.tHead.replaceChildren(row(["actual", ...classes], true));
  table.tBodies[0].replaceChildren(
    ...classes.map((name, i) => {
      const tr = row(matrix[i]);
      tr.prepend(el("th", name, { scope: "row" }));
      return tr;
    }),
  );
  $("confusion-details").hidden = false;
}
