// Results: the metrics, a predicted-vs-actual scatter with y = x and the residuals
// (regression), or the per-class precision and recall (classification).
import { $, el, formatNumber, row } from "../dom.js";
import { drawConfusion } from "./confusion-heatmap.js";

export function clearResults() {
  for (const id of ["metric-r2", "metric-rmse", "metric-mae", "metric-accuracy"]) $(id).textContent = "–";
  $("results-note").textContent = "";
  $("per-class-table").tBodies[0].replaceChildren();
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

export function showResults(results) {
  clearResults();
  const m = results.metrics;
  $("results-note").textContent = `after ${results.epoch} epochs, ${results.n_test} test rows`;
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

function bounds(values) {
  let low = Math.min(...values);
  let high = Math.max(...values);
  if (low === high) [low, high] = [low - 1, high + 1];
  return [low, high];
}

function drawScatter(canvas, rows) {
  const ctx = canvas.getContext("2d");
  const pad = 30;
  const size = canvas.width - 2 * pad;
  const [low, high] = bounds(rows.flat());
  const at = (v) => pad + ((v - low) / (high - low)) * size;
  ctx.strokeStyle = "#999";
  ctx.strokeRect(pad, pad, size, size);
  ctx.beginPath(); // y = x
  ctx.moveTo(at(low), canvas.height - at(low));
  ctx.lineTo(at(high), canvas.height - at(high));
  ctx.strokeStyle = "#d62728";
  ctx.stroke();
  ctx.fillStyle = "rgba(31,119,180,0.6)";
  for (const [actual, predicted] of rows) ctx.fillRect(at(actual) - 2, canvas.height - at(predicted) - 2, 4, 4);
  ctx.fillStyle = "#333";
  ctx.font = "12px sans-serif";
  ctx.fillText("actual →", canvas.width - 80, canvas.height - 8);
  ctx.fillText("predicted ↑ (red: y = x)", 4, 14);
}

function drawResiduals(canvas, rows) {
  const ctx = canvas.getContext("2d");
  const pad = 20;
  const residuals = rows.map(([a, p]) => p - a);
  const [low, high] = bounds(rows.map(([a]) => a));
  const limit = Math.max(...residuals.map(Math.abs), 1e-9);
  const x = (v) => pad + ((v - low) / (high - low)) * (canvas.width - 2 * pad);
  const y = (r) => canvas.height / 2 - (r / limit) * (canvas.height / 2 - pad);
  ctx.strokeStyle = "#999";
  ctx.beginPath();
  ctx.moveTo(pad, canvas.height / 2);
  ctx.lineTo(canvas.width - pad, canvas.height / 2);
  ctx.stroke();
  ctx.fillStyle = "rgba(255,127,14,0.7)";
  rows.forEach(([a], i) => ctx.fillRect(x(a) - 2, y(residuals[i]) - 2, 4, 4));
  ctx.fillStyle = "#333";
  ctx.font = "12px sans-serif";
  ctx.fillText("residual (predicted − actual) by actual", 4, 12);
}
