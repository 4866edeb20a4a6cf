// Drawing at most once per animation frame. While a run trains, progress reports can come
// faster than the screen refreshes, and a chart redrawn for each one costs the main thread
// more as its epochs grow: each view keeps its data up to date at once and asks here for
// one drawing, named by a key. The latest drawing asked for under a key replaces any
// earlier one still waiting, and one animation frame draws them all.
// drawNow() draws what waits at once: the run controller calls it when a run stops training,
// so what the page shows then (counters, charts) is complete before it says the run ended.

const waiting = new Map();
let frame = 0;

function drawWaiting() {
  frame = 0;
  const draws = [...waiting.values()];
  waiting.clear();
  for (const draw of draws) draw();
}

export function drawOnFrame(key, draw) {
  waiting.set(key, draw);
  if (!frame) frame = requestAnimationFrame(drawWaiting);
}

// a view that starts afresh (reset) drops the drawing it asked for
export function dropDrawing(key) {
  waiting.delete(key);
}

export function drawNow() {
  if (frame) cancelAnimationFrame(frame);
  drawWaiting();
}
