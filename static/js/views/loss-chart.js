// The live loss chart (uPlot, vendored): training and validation loss by epoch, in the units the
// page names on its axis (a regression's MSE in the target's own units², run-controller.js).
// New epochs are kept at once and drawn at the next animation frame (frame-draw.js). It fills
// its place in the Output column, and follows the theme's colours.
import { formatNumber } from "../dom.js";
import { emit } from "../events.js";
import { drawOnFrame, dropDrawing } from "../frame-draw.js";
import { css } from "../theme.js";

const LEGEND_PX = 28;

function options(size, yLabel) {
  const axis = () => ({ stroke: css("muted"), grid: { stroke: css("line"), width: 1 }, ticks: { stroke: css("line"), width: 1 } });
  return {
    ...size,
    scales: { x: { time: false } },
    legend: { live: false }, // names only: values under the cursor crowd a phone's width
    axes: [{ ...axis(), label: "epoch" }, { ...axis(), label: yLabel, size: 56 }],
    series: [
      { label: "epoch" },
      { label: "training loss", stroke: css("pos"), width: 2 },
      { label: "validation loss", stroke: css("neg"), width: 2, dash: [6, 4] },
    ],
  };
}

export function createLossChart(container) {
  const epochs = [];
  const train = [];
  const validation = [];
  let yLabel = "loss";
  const size = () => ({
    width: Math.max(200, Math.min(container.clientWidth - 4, 1200)),
    height: Math.max(110, Math.min(container.clientHeight - LEGEND_PX, 420)),
  });
  let plot = new window.uPlot(options(size(), yLabel), [epochs, train, validation], container);
  const rebuild = () => {
    plot.destroy();
    plot = new window.uPlot(options(size(), yLabel), [epochs, train, validation], container);
  };
  // the chart follows its place (the window, the column, a phone's tab); a settled size is
  // announced once the browser drew it. The observer's first call is the first layout.
  const fit = new ResizeObserver(() => {
    const wanted = size();
    if (container.clientWidth && (plot.width !== wanted.width || plot.height !== wanted.height)) plot.setSize(wanted);
    requestAnimationFrame(() => emit("fcnn:charts-settled"));
  });
  fit.observe(container);
  document.addEventListener("fcnn:theme", rebuild);
  const label = container.getAttribute("aria-label");
  // the drawing's words, for a screen reader (and a test): the epochs and the loss at either end
  const describe = () => {
    const n = epochs.length;
    const loss = (values, i) => (values[i] === null || values[i] === undefined ? "–" : formatNumber(values[i]));
    const named = yLabel === "loss" ? label : `${label} (${yLabel})`;
    const text = n
      ? `${named}: epochs ${epochs[0]}–${epochs[n - 1]}, training loss ${loss(train, 0)} → ${loss(train, n - 1)}, ` +
        `validation loss ${loss(validation, 0)} → ${loss(validation, n - 1)}`
      : `${named}: no epochs yet`;
    container.setAttribute("aria-label", text);
  };
  describe();
  const draw = () => {
    plot.setData([epochs, train, validation]);
    describe();
  };
  return {
    // a new run (its loss named on the axis: label) or none
    reset(label = "loss") {
      dropDrawing("loss-chart");
      epochs.length = train.length = validation.length = 0;
      if (label !== yLabel) {
        yLabel = label;
        rebuild();
      }
      draw();
    },
    append(points) {
      for (const [epoch, loss, val] of points) {
        epochs.push(epoch);
        train.push(loss);
        validation.push(val);
      }
      drawOnFrame("loss-chart", draw);
    },
    points: () => epochs.length,
  };
}
