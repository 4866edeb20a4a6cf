// One traced matrix drawn: a SUMMARY from the engine's trace (fcnn/web/trace_view.py:
// {shape, mean, min, max, norm, values (≤ 8×8) or heatmap (≤ 16×16 block means)}) as a small
// canvas heatmap, its figures, and its numbers when it is small. Blue positive, orange negative,
// as in the neuron view. The element carries `data-summary`: the figures and numbers it shows,
// at full precision (the browser tests compare them with the CLI's trace).
import { el, formatNumber } from "../dom.js";

const CELL_PX = 14;
const MAX_SIDE_PX = 224;

function cellColour(value, largest) {
  if (value === null || value === undefined) return "#bbbbbb"; // a number that is not finite
  const share = largest > 0 ? Math.min(1, Math.abs(value) / largest) : 0;
  const [r, g, b] = value >= 0 ? [31, 119, 180] : [255, 127, 14];
  const mix = (c) => Math.round(255 - share * (255 - c));
  return `rgb(${mix(r)}, ${mix(g)}, ${mix(b)})`;
}

function drawHeatmap(canvas, cells) {
  const rows = cells.length;
  const columns = cells[0].length;
  const size = Math.max(4, Math.min(CELL_PX, Math.floor(MAX_SIDE_PX / Math.max(rows, columns))));
  canvas.width = columns * size;
  canvas.height = rows * size;
  let largest = 0;
  for (const line of cells) for (const v of line) if (v !== null) largest = Math.max(largest, Math.abs(v));
  const context = canvas.getContext("2d");
  cells.forEach((line, i) => line.forEach((v, j) => {
    context.fillStyle = cellColour(v, largest);
    context.fillRect(j * size, i * size, size, size);
  }));
}

// a number that is not finite travels as null (JSON has no NaN)
const shown = (v) => (v === null || v === undefined ? "not finite" : formatNumber(v));
const shapeText = (shape) => (shape.length ? shape.join("×") : "scalar");

function numbersTable(values) {
  const table = el("table", null, { class: "trace-numbers" });
  const body = el("tbody");
  for (const line of values) {
    const tr = el("tr");
    for (const v of line) tr.append(el("td", shown(v)));
    body.append(tr);
  }
  table.append(body);
  return table;
}

// A figure for `summary` under `caption` (plain text); testid and `attributes` mark it for the tests.
export function matrixFigure(summary, caption, testid = "trace-matrix", attributes = {}) {
  const figure = el("figure", null, { class: "trace-matrix", "data-testid": testid, ...attributes });
  if (!summary) {
    figure.append(el("figcaption", `${caption}: none`));
    return figure;
  }
  const { shape, mean, min, max, norm, values } = summary;
  figure.dataset.summary = JSON.stringify({ shape, mean, min, max, norm, values });
  figure.append(el("figcaption", `${caption} · ${shapeText(shape)}`));
  if (!shape.length) {
    figure.append(el("p", shown(mean), { class: "trace-scalar" }));
    return figure;
  }
  const cells = values || summary.heatmap;
  const canvas = el("canvas", null, { role: "img", "aria-label": `${caption}: heatmap of ${shapeText(shape)}, blue positive, orange negative` });
  drawHeatmap(canvas, cells);
  figure.append(canvas);
  const figures = `mean ${shown(mean)} · range ${shown(min)} to ${shown(max)} · norm ${shown(norm)}`;
  figure.append(el("p", values ? figures : `${figures} · heatmap of block means`, { class: "hint" }));
  if (values) figure.append(numbersTable(values));
  return figure;
}
