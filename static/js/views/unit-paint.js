// Painting one unit's picture into a small canvas: its output over the input plane (a map) or its
// histogram of activations. One colour language with every other view (theme.js): orange for the
// low end, the surface's own colour in the middle, blue for the high end; grey where a number is
// not finite. The engine computes every number; this module only paints them.
import { formatNumber } from "../dom.js";
import { signColours } from "../theme.js";

export const HISTOGRAM_WIDTH = 40;
export const HISTOGRAM_HEIGHT = 40;

// what the colours mean for each activation: the output at the orange end, the middle, the blue end
const SCALES = {
  sigmoid: { low: 0, mid: 0.5, high: 1 },
  tanh: { low: -1, mid: 0, high: 1 },
};

export function scaleFor(activation) {
  return SCALES[activation] || null;
}

// a canvas keeps its size when repainted: setting it, even to the same value, clears and reallocates it
function sizeCanvas(canvas, width, height) {
  if (canvas.width !== width) canvas.width = width;
  if (canvas.height !== height) canvas.height = height;
}

// t in [-1, 1]: negative end at -1, the middle at 0, positive end at 1
export function colourOf(t, colours = signColours()) {
  const s = Math.max(-1, Math.min(1, t));
  const end = s < 0 ? colours.neg : colours.pos;
  const k = Math.abs(s);
  return [0, 1, 2].map((i) => colours.mid[i] + (end[i] - colours.mid[i]) * k);
}

// The colour scale of one layer's maps: fixed for a bounded activation, else the layer's largest |output|.
export function layerScale(activation, maps) {
  const fixed = scaleFor(activation);
  if (fixed) return fixed;
  let largest = 1e-12;
  for (const map of maps) for (const v of map.values) if (v !== null) largest = Math.max(largest, Math.abs(v));
  return { low: -largest, mid: 0, high: largest };
}

// A size×size canvas painted pixel by pixel: colourAt(row, column) is [r, g, b], row 0 at the top.
function paintPixels(canvas, size, colourAt) {
  sizeCanvas(canvas, size, size);
  const ctx = canvas.getContext("2d");
  const image = ctx.createImageData(size, size);
  for (let r = 0; r < size; r++) {
    for (let c = 0; c < size; c++) image.data.set([...colourAt(r, c), 255], (r * size + c) * 4);
  }
  ctx.putImageData(image, 0, 0);
}

// size×size values, row 0 the lowest y (drawn at the bottom)
export function paintGrid(canvas, size, values, scale) {
  const colours = signColours();
  paintPixels(canvas, size, (r, c) => {
    const v = values[(size - 1 - r) * size + c];
    if (v === null) return colours.none;
    const t = v >= scale.mid ? (v - scale.mid) / (scale.high - scale.mid) : -(scale.mid - v) / (scale.mid - scale.low);
    return colourOf(t, colours);
  });
}

// The unit's counts as bars; answers the range its bins span, as a caption says it.
export function paintHistogram(canvas, map) {
  sizeCanvas(canvas, HISTOGRAM_WIDTH, HISTOGRAM_HEIGHT);
  const colours = signColours();
  const ctx = canvas.getContext("2d");
  ctx.clearRect(0, 0, HISTOGRAM_WIDTH, HISTOGRAM_HEIGHT);
  const tallest = Math.max(1, ...map.counts);
  const bar = HISTOGRAM_WIDTH / map.counts.length;
  const edges = map.edges;
  map.counts.forEach((count, i) => {
    const h = (count / tallest) * (HISTOGRAM_HEIGHT - 2);
    // a bin left of zero is drawn in the negative colour, right of it in the positive one
    const centre = (edges[i] + edges[i + 1]) / 2;
    ctx.fillStyle = `rgb(${(centre < 0 ? colours.neg : colours.pos).join(",")})`;
    ctx.fillRect(i * bar, HISTOGRAM_HEIGHT - h, Math.max(1, bar - 0.5), h);
  });
  const short = (v) => formatNumber(Number(v.toPrecision(3))); // a caption under a small drawing
  return `${short(edges[0])} – ${short(edges[edges.length - 1])}`;
}

// An input's own map over the plane (two features): x1 grows across, x2 grows up.
export function paintInputMap(canvas, across, size = 16) {
  const colours = signColours();
  paintPixels(canvas, size, (r, c) => colourOf(across ? (2 * c) / (size - 1) - 1 : 1 - (2 * r) / (size - 1), colours));
}
