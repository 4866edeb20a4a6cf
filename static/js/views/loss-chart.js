// The live loss chart (uPlot, vendored): training and validation loss by epoch.
// New epochs are kept at once and drawn at the next animation frame (frame-draw.js).
import { formatNumber } from "../dom.js";
import { emit } from "../events.js";
import { drawOnFrame, dropDrawing } from "../frame-draw.js";

export function createLossChart(container) {
  const epochs = [];
  const train = [];
  const validation = [];
  const width = () => Math.max(260, Math.min(container.clientWidth - 8, 900));
  const plot = new window.uPlot(
    {
      width: width(),
      height: 220,
      scales: { x: { time: false } },
      legend: { live: false }, // names only: values under the cursor crowd a phone's width
      axes: [{ label: "epoch" }, { label: "loss" }],
      series: [
        { label: "epoch" },
        { label: "training loss", stroke: "#1f77b4", width: 2 },
        { label: "validation loss", stroke: "#ff7f0e", width: 2, dash: [6, 4] },
      ],
    },
    [epochs, train, validation],
    container,
  );
  // the chart follows its panel (the window, a scrollbar, a wrapped column); a settled size is
  // announced once the browser drew it. The observer's first call is the first layout.
  const fit = new ResizeObserver(() => {
    if (plot.width !== width()) plot.setSize({ width: width(), height: 220 });
    requestAnimationFrame(() => emit("fcnn:charts-settled"));
  });
  fit.observe(container);
  const label = container.getAttribute("aria-label");
  // the drawing's words, for a screen reader (and a test): the epochs and the loss at either end
  const describe = () => {
    const n = epochs.length;
    const loss = (values, i) => (values[i] === null || values[i] === undefined ? "–" : formatNumber(values[i]));
    const text = n
      ? `${label}: epochs ${epochs[0]}–${epochs[n - 1]}, training loss ${loss(train, 0)} → ${loss(train, n - 1)}, ` +
        `validation loss ${loss(validation, 0)} → ${loss(validation, n - 1)}`
      : `${label}: no epochs yet`;
    container.setAttribute("aria-label", text);
  };
  describe();
  const draw = () => {
    plot.setData([epochs, train, validation]);
    describe();
  };
  return {
    reset() {
      dropDrawing("loss-chart");
      epochs.length = train.length = validation.length = 0;
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
