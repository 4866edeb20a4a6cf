// Predicted against actual (with y = x) and the residuals, drawn on a canvas: the Results sheet's
// plots and the Output column's while a run trains (output-plot.js). Colours from the theme.
import { css } from "../theme.js";

function bounds(values) {
  let low = Infinity;
  let high = -Infinity;
  for (const v of values) {
    if (v < low) low = v;
    if (v > high) high = v;
  }
  if (!(high > low)) [low, high] = [low - 1, high + 1];
  return [low, high];
}

// rows: [[actual, predicted], …]
export function drawScatter(canvas, rows) {
  const ctx = canvas.getContext("2d");
  ctx.clearRect(0, 0, canvas.width, canvas.height);
  const pad = 30;
  const size = canvas.width - 2 * pad;
  const [low, high] = bounds(rows.flat());
  const at = (v) => pad + ((v - low) / (high - low)) * size;
  ctx.strokeStyle = css("line");
  ctx.strokeRect(pad, pad, size, size);
  ctx.beginPath(); // y = x
  ctx.moveTo(at(low), canvas.height - at(low));
  ctx.lineTo(at(high), canvas.height - at(high));
  ctx.strokeStyle = css("neg");
  ctx.lineWidth = 1.5;
  ctx.stroke();
  ctx.lineWidth = 1;
  ctx.fillStyle = css("pos");
  ctx.globalAlpha = 0.7;
  for (const [actual, predicted] of rows) ctx.fillRect(at(actual) - 2, canvas.height - at(predicted) - 2, 4, 4);
  ctx.globalAlpha = 1;
  ctx.fillStyle = css("ink");
  ctx.font = "12px system-ui, sans-serif";
  ctx.fillText("actual →", canvas.width - 80, canvas.height - 8);
  ctx.fillText("predicted ↑ (line: y = x)", 4, 14);
}

export function drawResiduals(canvas, rows) {
  const ctx = canvas.getContext("2d");
  ctx.clearRect(0, 0, canvas.width, canvas.height);
  const pad = 20;
  const residuals = rows.map(([a, p]) => p - a);
  const [low, high] = bounds(rows.map(([a]) => a));
  const limit = Math.max(...residuals.map(Math.abs), 1e-9);
  const x = (v) => pad + ((v - low) / (high - low)) * (canvas.width - 2 * pad);
  const y = (r) => canvas.height / 2 - (r / limit) * (canvas.height / 2 - pad);
  ctx.strokeStyle = css("line");
  ctx.beginPath();
  ctx.moveTo(pad, canvas.height / 2);
  ctx.lineTo(canvas.width - pad, canvas.height / 2);
  ctx.stroke();
  ctx.fillStyle = css("neg");
  rows.forEach(([a], i) => ctx.fillRect(x(a) - 2, y(residuals[i]) - 2, 4, 4));
  ctx.fillStyle = css("ink");
  ctx.font = "12px system-ui, sans-serif";
  ctx.fillText("residual (predicted − actual) by actual", 4, 12);
}
