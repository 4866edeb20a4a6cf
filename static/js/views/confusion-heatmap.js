// A confusion-matrix heatmap: rows are actual classes, columns predicted; darker = more rows.
export function drawConfusion(canvas, classes, matrix) {
  const ctx = canvas.getContext("2d");
  const n = classes.length;
  const pad = 70;
  const cell = (canvas.width - pad - 10) / n;
  const most = Math.max(1, ...matrix.flat());
  ctx.font = "11px sans-serif";
  ctx.textAlign = "center";
  ctx.textBaseline = "middle";
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      const share = matrix[i][j] / most;
      ctx.fillStyle = `rgba(31,78,121,${0.08 + 0.92 * share})`;
      ctx.fillRect(pad + j * cell, pad + i * cell, cell - 1, cell - 1);
      ctx.fillStyle = share > 0.5 ? "#fff" : "#111";
      ctx.fillText(String(matrix[i][j]), pad + (j + 0.5) * cell, pad + (i + 0.5) * cell);
    }
  }
  ctx.fillStyle = "#333";
  ctx.textAlign = "right";
  // class names are drawn as canvas text, never parsed as markup
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
