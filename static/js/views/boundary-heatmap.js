// For two features: the network's prediction over a grid, drawn under the data points.
// Classification colours each cell by its predicted class; regression by value (blue low, orange high).
import { CLASS_COLOURS } from "../dom.js";

function hexToRgb(hex) {
  const n = parseInt(hex.slice(1), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

export function drawBoundary(canvas, grid) {
  const ctx = canvas.getContext("2d");
  const { size, values, x_range: xr, y_range: yr } = grid;
  const cell = canvas.width / size;
  const regression = grid.task === "regression";
  let low = Infinity;
  let high = -Infinity;
  if (regression) for (const v of values) { low = Math.min(low, v); high = Math.max(high, v); }
  const spread = high - low || 1;
  for (let r = 0; r < size; r++) {
    for (let c = 0; c < size; c++) {
      const v = values[r * size + c];
      let colour;
      if (regression) {
        const t = (v - low) / spread;
        colour = `rgb(${Math.round(31 + t * 224)},${Math.round(119 + t * 8)},${Math.round(180 - t * 166)})`;
      } else {
        const [red, green, blue] = hexToRgb(CLASS_COLOURS[v % CLASS_COLOURS.length]);
        colour = `rgba(${red},${green},${blue},0.35)`;
      }
      ctx.fillStyle = colour;
      // row 0 is the lowest y, drawn at the bottom
      ctx.fillRect(c * cell, canvas.height - (r + 1) * cell, Math.ceil(cell), Math.ceil(cell));
    }
  }
  const x = (v) => ((v - xr[0]) / (xr[1] - xr[0])) * canvas.width;
  const y = (v) => canvas.height - ((v - yr[0]) / (yr[1] - yr[0])) * canvas.height;
  const classIndex = new Map(grid.classes.map((name, i) => [name, i]));
  for (const [px, py, label] of grid.points) {
    ctx.beginPath();
    ctx.arc(x(px), y(py), 2.5, 0, 2 * Math.PI);
    ctx.fillStyle = regression ? "#222" : CLASS_COLOURS[(classIndex.get(label) ?? 0) % CLASS_COLOURS.length];
    ctx.fill();
    ctx.strokeStyle = "#fff";
    ctx.lineWidth = 0.5;
    ctx.stroke();
  }
}
