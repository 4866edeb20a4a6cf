// Training over time, layer by layer (uPlot, vendored): each layer's weight norm ‖W‖ (solid) and the
// norm of its last batch's gradient ‖dL/dW‖ (dashed) per epoch, on a log scale, so vanishing or
// exploding gradients show as lines falling or rising layer by layer. One colour a layer, from the
// input side (purple) to the output layer (orange, last).
// Fed by the page's fcnn:progress events (their `layer_norms`, as the engine reported them);
// it starts afresh when a run starts (reset). A norm that is not finite, or zero (no log), is a gap.
// Validation accuracy per epoch, when the engine reports it, is written under the chart.
// Reports are kept as they come and drawn once an animation frame: a redraw costs more as the
// epochs grow, and must not slow the run.
import { formatNumber } from "../dom.js";
import { emit } from "../events.js";
import { drawOnFrame, dropDrawing } from "../frame-draw.js";

const HEIGHT = 240;

function layerColour(layer, layers) {
  const hue = layers > 1 ? 270 - (240 * (layer - 1)) / (layers - 1) : 210;
  return `hsl(${Math.round(hue)}, 70%, 42%)`;
}

function seriesFor(layers) {
  const series = [{ label: "epoch" }];
  for (let l = 1; l <= layers; l++) {
    const stroke = layerColour(l, layers);
    series.push({ label: `layer ${l} ‖W‖`, stroke, width: 2 });
    series.push({ label: `layer ${l} ‖dL/dW‖`, stroke, width: 2, dash: [5, 4] });
  }
  return series;
}

// a log axis spans powers of ten: 1e-5 says what "0.00001" would, in less room (and never rounds to "0")
const tickText = (v) => (v === null ? "" : v >= 0.01 && v < 1e4 ? String(Number(v.toPrecision(2))) : v.toExponential(0));

const onLogScale = (v) => (v === null || v === undefined || !(v > 0) || !Number.isFinite(v) ? null : v);

// The chart's words, for a screen reader (and a test): its epochs and the last gradient norms.
function describe(container, label, data) {
  const epochs = data[0];
  if (!epochs.length) {
    container.setAttribute("aria-label", `${label}: no epochs yet`);
    return;
  }
  const gradients = [];
  for (let i = 2; i < data.length; i += 2) gradients.push(formatNumber(data[i][epochs.length - 1] ?? NaN));
  container.setAttribute("aria-label",
    `${label}: epochs ${epochs[0]}–${epochs.at(-1)}; last gradient norms, layer 1 to the output: ${gradients.join(", ")}`);
}

function showAccuracy(line, accuracy) {
  if (!accuracy?.length) return;
  const [epoch, value] = accuracy.at(-1);
  line.textContent = `Validation accuracy at epoch ${epoch}: ${formatNumber(value)}`;
}

export function createNormsChart(container, accuracyLine) {
  const width = () => Math.max(260, Math.min(container.clientWidth - 8, 900));
  const label = container.getAttribute("aria-label");
  let plot = null;
  let plotted = null; // the data the plot was built on: new data (a run, a new layer count) builds it afresh
  let data = [[]];
  let accuracy = null;
  const build = () => {
    plot?.destroy();
    const options = {
      width: width(), height: HEIGHT, scales: { x: { time: false }, y: { distr: 3 } }, legend: { live: false },
      axes: [{ label: "epoch" }, { label: "norm (log scale)", values: (u, ticks) => ticks.map(tickText) }],
      series: seriesFor((data.length - 1) / 2),
    };
    plot = window.fcnnNormsChart = new window.uPlot(options, data, container); // the hook: tests, the console
    plotted = data;
  };
  // the chart follows its panel, as the loss chart does, and says when a new size was drawn
  new ResizeObserver(() => {
    if (plot && plot.width !== width()) plot.setSize({ width: width(), height: HEIGHT });
    requestAnimationFrame(() => emit("fcnn:charts-settled"));
  }).observe(container);
  // drawn at the next animation frame, however many reports came since (frame-draw.js)
  const draw = () => {
    if (data[0].length && plotted !== data) build();
    else if (plot) plot.setData(data);
    describe(container, label, data);
    showAccuracy(accuracyLine, accuracy);
  };
  const append = (records) => {
    for (const [epoch, weights, gradients] of records) {
      if (data.length !== 1 + 2 * weights.length) data = Array.from({ length: 1 + 2 * weights.length }, () => []);
      data[0].push(epoch);
      weights.forEach((w, i) => {
        data[1 + 2 * i].push(onLogScale(w));
        data[2 + 2 * i].push(onLogScale(gradients[i]));
      });
    }
  };
  document.addEventListener("fcnn:progress", (e) => {
    if (e.detail.layer_norms?.length) append(e.detail.layer_norms);
    if (e.detail.val_accuracy?.length) accuracy = e.detail.val_accuracy;
    drawOnFrame("norms-chart", draw);
  });
  describe(container, label, data);
  return {
    reset() {
      dropDrawing("norms-chart");
      plot?.destroy();
      plot = window.fcnnNormsChart = plotted = null;
      data = [[]];
      accuracy = null;
      container.replaceChildren();
      accuracyLine.textContent = "";
      describe(container, label, data);
    },
  };
}
