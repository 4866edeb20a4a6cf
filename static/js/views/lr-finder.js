// The learning-rate finder's drawing (panel 2): the range test's loss against the learning
// rate on a log x-axis (uPlot, vendored), the suggested rate with the rule that picked it, and
// the rate "Use this rate" puts in the learning-rate input. The engine computed every number
// (fcnn/engine/lr_finder.py); this module only draws them.
//
// For tests and screen readers, once uPlot has drawn a range test the chart element holds
// data-drawn="true", data-points (how many), data-rates and data-smoothed (JSON: the x values
// and the smoothed losses uPlot was given), and the suggestion element data-rate (the rate
// "Use this rate" sets).
import { $, el, formatNumber } from "../dom.js";

const HEIGHT = 200;
const COLOURS = { loss: "rgba(31, 119, 180, 0.35)", smoothed: "#1f77b4", suggestion: "#2ca02c", lowest: "#d62728" };

// a rate as the learning-rate input shows it: three significant figures are plenty for a rate
export const roundedRate = (rate) => Number(rate.toPrecision(3));

// The y-axis spans the smoothed loss up to a little above its level before the lowest point:
// the runaway at the end and the noisiest batches run off the top rather than squash the curve flat.
function lossRange(answer, lowestAt) {
  const smoothed = answer.smoothed;
  if (!smoothed.length) return [0, 1];
  const low = Math.min(...smoothed);
  const high = Math.min(Math.max(...smoothed), 1.25 * Math.max(...smoothed.slice(0, lowestAt + 1)));
  const pad = (high - low) * 0.08 || Math.abs(high) * 0.1 || 1;
  return [Math.max(0, low - pad), high + pad];
}

// ticks and grid lines at the powers of ten only (a log axis's 2…9 lines crowd a narrow panel)
function decades(u) {
  const { min, max } = u.scales.x;
  const ticks = [];
  if (!(min > 0 && max >= min)) return ticks; // no data yet
  for (let power = Math.ceil(Math.log10(min) - 1e-9); power <= Math.floor(Math.log10(max) + 1e-9); power++) ticks.push(10 ** power);
  return ticks;
}

// uPlot passes null for a tick it leaves out for lack of room
const rateLabel = (value) => (value === null ? "" : value >= 0.001 ? String(Number(value.toPrecision(3))) : value.toExponential(0).replace("e-", "e−"));

// A dashed vertical line at the suggested rate and a dot where the smoothed loss was lowest.
function drawMarks(u, marks) {
  const { ctx, bbox } = u;
  ctx.save();
  if (marks.suggestion) {
    const x = u.valToPos(marks.suggestion, "x", true);
    ctx.strokeStyle = COLOURS.suggestion;
    ctx.lineWidth = 2 * devicePixelRatio;
    ctx.setLineDash([6 * devicePixelRatio, 4 * devicePixelRatio]);
    ctx.beginPath();
    ctx.moveTo(x, bbox.top);
    ctx.lineTo(x, bbox.top + bbox.height);
    ctx.stroke();
  }
  if (marks.lowest) {
    ctx.fillStyle = COLOURS.lowest;
    ctx.beginPath();
    ctx.arc(u.valToPos(marks.lowest[0], "x", true), u.valToPos(marks.lowest[1], "y", true), 4 * devicePixelRatio, 0, 2 * Math.PI);
    ctx.fill();
  }
  ctx.restore();
}

function createPlot(container, marks, range) {
  const width = () => Math.max(240, Math.min(container.clientWidth - 4, 900));
  const plot = new window.uPlot(
    {
      width: width(),
      height: HEIGHT,
      scales: { x: { time: false, distr: 3 }, y: { range: () => range.y } },
      legend: { live: false },
      axes: [
        { label: "learning rate (log scale)", splits: decades, values: (u, ticks) => ticks.map(rateLabel) },
        // short tick labels (3 significant digits), so they never run into the axis label
        { label: "loss", size: 70, values: (u, ticks) => ticks.map((v) => (v === null ? "" : Number(v.toPrecision(3)).toString())) },
      ],
      series: [
        { label: "learning rate" },
        { label: "batch loss", stroke: COLOURS.loss, width: 1 },
        { label: "smoothed loss", stroke: COLOURS.smoothed, width: 2 },
      ],
      hooks: {
        draw: [
          (u) => {
            drawMarks(u, marks);
            container.dataset.drawn = String(u.data[0].length > 0);
          },
        ],
      },
    },
    [[], [], []],
    container,
  );
  new ResizeObserver(() => {
    if (plot.width !== width()) plot.setSize({ width: width(), height: HEIGHT });
  }).observe(container);
  return plot;
}

function describe(answer, rate) {
  const where =
    answer.weights === "run"
      ? "on a copy of the run's weights as they are now; a trained network's loss falls little, so its lowest point tells less"
      : "on a new network with these settings";
  const steps = `${answer.rates.length} of ${answer.steps} steps (${answer.optimizer}, batch ${answer.batch_size}, ${where})`;
  if (rate === null) return [`No suggestion: ${answer.stopped} at the first step. Check the data and the settings.`, steps];
  return [
    `Suggested learning rate: ${rate}`,
    `— ${answer.rule} (${formatNumber(answer.lowest_rate)}, the red dot; the suggestion is the dashed green line). ` +
      `Stopped after ${steps}: ${answer.stopped}.`,
  ];
}

export function createLrFinderView() {
  const chart = $("lr-chart");
  const marks = { suggestion: null, lowest: null };
  const range = { y: [0, 1] };
  let plot = null;
  let rate = null;
  return {
    // answer: the engine's find_learning_rate answer
    show(answer) {
      $("lr-result").hidden = false; // visible first: the chart takes its panel's width
      plot = plot || createPlot(chart, marks, range);
      rate = answer.suggestion === null ? null : roundedRate(answer.suggestion);
      const lowestAt = answer.rates.indexOf(answer.lowest_rate);
      marks.suggestion = answer.suggestion;
      marks.lowest = lowestAt < 0 ? null : [answer.lowest_rate, answer.smoothed[lowestAt]];
      range.y = lossRange(answer, Math.max(lowestAt, 0));
      chart.dataset.drawn = "false";
      plot.setData([answer.rates, answer.losses, answer.smoothed]);
      chart.dataset.points = String(plot.data[0].length);
      chart.dataset.rates = JSON.stringify(plot.data[0]);
      chart.dataset.smoothed = JSON.stringify(plot.data[2]);
      const [headline, detail] = describe(answer, rate);
      const suggestion = $("lr-suggestion");
      suggestion.replaceChildren(el("strong", headline), " ", detail);
      suggestion.dataset.rate = rate === null ? "" : String(rate);
      $("lr-use").disabled = rate === null;
      $("lr-stale").hidden = true;
      chart.setAttribute("aria-label", `Loss against the learning rate, ${answer.rates[0]} to ${answer.rates[answer.rates.length - 1]} (log scale). ${headline}`);
    },
    rate: () => rate,
    // the settings changed after the test: its curve and rate were found for others
    markStale() {
      if (!$("lr-result").hidden) $("lr-stale").hidden = false;
    },
  };
}
