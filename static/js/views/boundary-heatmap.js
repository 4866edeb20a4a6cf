// For two features: the network's prediction over a grid, drawn under the data points.
// Classification colours each cell by its predicted class, stronger where the network is surer
// (its probability for that class); regression by value (blue low, orange high).
import { CLASS_COLOURS } from "../dom.js";
import { css } from "../theme.js";

function hexToRgb(hex) {
  const n = parseInt(hex.slice(1), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

export function drawBoundary(canvas, grid) {
  const ctx = canvas.getContext("2d");
  const { size, values, x_range: xr, y_range: yr } = grid;
  // painted afresh: translucent cells over the last drawing would add up
  ctx.fillStyle = css("surface");
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  const cell = canvas.width / size;
  const regression = grid.task === "regression";
  const classes = Math.max(2, grid.classes?.length || 2);
  let low = Infinity;
  let high = -Infinity;
  if (regression) for (const v of values) { low = Math.min(low, v); high = Math.max(high, v); }
  const spread = high - low || 1;
  for (let r = 0; r < size; r++) {
    for (let c = 0; c < size; c++) {
      const at = r * size + c;
      const v = values[at];
      let colour;
      if (regression) {
        const t = (v - low) / spread;
        colour = `rgb(${Math.round(31 + t * 224)},${Math.round(119 + t * 8)},${Math.round(180 - t * 166)})`;
      } else {
        const [red, green, blue] = hexToRgb(CLASS_COLOURS[v % CLASS_COLOURS.length]);
        // sure (probability 1) is strong, a coin toss between the classes faint
        const sure = grid.confidence ? Math.max(0, (grid.confidence[at] - 1 / classes) / (1 - 1 / classes)) : 1;
        colour = `rgba(${red},${green},${blue},${(0.12 + 0.5 * sure).toFixed(3)})`;
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
    ctx.lineWidth = 0.6;
    ctx.stroke();
  }
}
