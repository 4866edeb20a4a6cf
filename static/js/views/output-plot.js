// The Output column with more than two features: the network's output on the test rows now,
// predicted against actual — a scatter with y = x (regression) or the confusion matrix
// (classification) — redrawn as the run trains (Session.output_view). It draws what it is given.
import { $, formatNumber } from "../dom.js";
import { drawConfusion } from "./confusion-heatmap.js";
import { drawScatter } from "./scatter-plot.js";

export function showOutputPlot(answer) {
  const canvas = $("output-plot");
  if (answer.task === "regression") {
    drawScatter(canvas, answer.pairs);
    canvas.setAttribute("aria-label", `Predicted against actual ${answer.target} on ${answer.n_rows} ${answer.rows} rows, epoch ${answer.epoch}`);
    $("output-plot-note").textContent = `${answer.target}: predicted ↑ against actual →, ${answer.n_rows} ${answer.rows} rows, epoch ${answer.epoch}`;
  } else {
    const ctx = canvas.getContext("2d");
    ctx.clearRect(0, 0, canvas.width, canvas.height);
    drawConfusion(canvas, answer.classes, answer.confusion_matrix);
    const accuracy = answer.accuracy === null ? "" : `, accuracy ${formatNumber(answer.accuracy)}`;
    canvas.setAttribute("aria-label", `Confusion matrix of ${answer.target} on ${answer.n_rows} ${answer.rows} rows, epoch ${answer.epoch}${accuracy}`);
    $("output-plot-note").textContent = `${answer.target}: actual (rows) against predicted, ${answer.n_rows} ${answer.rows} rows${accuracy}, epoch ${answer.epoch}`;
  }
  canvas.dataset.epoch = String(answer.epoch);
}

export function clearOutputPlot() {
  const canvas = $("output-plot");
  canvas.getContext("2d").clearRect(0, 0, canvas.width, canvas.height);
  delete canvas.dataset.epoch;
  $("output-plot-note").textContent = "";
}
