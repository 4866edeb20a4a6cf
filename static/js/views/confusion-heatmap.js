// A confusion-matrix heatmap: rows are actual classes, columns predicted; stronger = more rows.
// Class names are drawn as canvas text, never parsed as markup. Colours from the theme.
import { css } from "../theme.js";

export function drawConfusion(canvas, classes, matrix) {
  const ctx = canvas.getContext("2d");
  ctx.clearRect(0, 0, canvas.width, canvas.height);
  const n = classes.length;
  const pad = Math.min(70, canvas.width * 0.22);
  const cell = (canvas.width - pad - 10) / n;
  const most = Math.max(1, ...matrix.flat());
  const accent = css("pos");
  ctx.font = `${Math.max(9, Math.min(12, cell / 3))}px system-ui, sans-serif`;
  ctx.textAlign = "center";
  ctx.textBaseline = "middle";
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      const share = matrix[i][j] / most;
      ctx.globalAlpha = 0.08 + 0.92 * share;
      ctx.fillStyle = accent;
      ctx.fillRect(pad + j * cell, pad + i * cell, cell - 1, cell - 1);
      ctx.globalAlpha = 1;
      ctx.fillStyle = share > 0.5 ? "#ffffff" : css("ink");
      if (cell >= 14) ctx.fillText(String(matrix[i][j]), pad + (j + 0.5) * cell, pad + (i + 0.5) * cell);
    }
  }
  ctx.fillStyle = css("ink");
  ctx.textAlign = "right";
  classes.forEach((name, i) => ctx.fillText(String(name).slice(0, 10), pad - 4, pad + (i + 0.5) * cell));
  ctx.textAlign = "center";
  classes.forEach((name, j) => ctx.fillText(String(name).slice(0, 8), pad + (j + 0.5) * cell, pad - 10));
  ctx.fillText("predicted →", pad + (n * cell) / 2, 14);
  ctx.save();
  ctx.translate(12, pad + (n * cell) / 2);
  ctx.rotate(-Math.PI / 2);
  ctx.fillText("actual →", 0, 0);
  ctx.restore();
}
