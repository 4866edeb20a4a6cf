// Views: each function draws one part of the page from plain data.
// User-supplied text (column names, cells, file names) only ever goes through
// textContent or <option> values, never through an HTML parser.

const $ = (id) => document.getElementById(id);

export function showStatus(state, text) {
  const el = document.querySelector('[data-testid="status"]');
  el.dataset.state = state;
  el.textContent = text;
}

export function showError(message) {
  const el = document.querySelector('[data-testid="error-message"]');
  el.textContent = message || "";
  el.hidden = !message;
}

export function renderDatasetInfo(info) {
  $("dataset-info").textContent = info
    ? `${info.name}: ${info.n_rows} rows, ${info.columns.length} columns`
    : "No data loaded.";
}

export function renderTargetOptions(columns, selected) {
  const select = $("target-select");
  select.replaceChildren(
    ...columns.map((name) => {
      const option = document.createElement("option");
      option.value = name;
      option.textContent = name;
      option.selected = name === selected;
      return option;
    }),
  );
  select.disabled = columns.length === 0;
}

export function renderGraphOrder(nodes) {
  $("graph-line").textContent =
    "graph in topological order: " + nodes.map((n) => `${n.name} (${n.kind})`).join(" → ");
}

export function renderProgress(epoch, totalEpochs, loss) {
  $("epoch-counter").textContent = String(epoch);
  $("epoch-total").textContent = totalEpochs ? `of ${totalEpochs}` : "";
  $("loss-value").textContent = loss === null ? "–" : formatNumber(loss);
}

export function formatNumber(value) {
  if (!Number.isFinite(value)) return String(value);
  const abs = Math.abs(value);
  if (abs !== 0 && (abs < 1e-3 || abs >= 1e6)) return value.toExponential(4);
  return value.toFixed(4).replace(/\.?0+$/, "") || "0";
}

export function clearResults() {
  $("metric-r2").textContent = "–";
  $("results-note").textContent = "";
  $("predictions-table").tBodies[0].replaceChildren();
}

export function renderResults(results) {
  $("metric-r2").textContent =
    results.task === "regression" ? results.r2.toFixed(4) : `accuracy ${results.accuracy.toFixed(4)}`;
  $("results-note").textContent = `after ${results.epoch} epochs, ${results.n_test} test rows`;
  $("actual-heading").textContent = `actual ${results.target}`;
  const rows = results.rows.map(([actual, predicted], index) => {
    const tr = document.createElement("tr");
    const numeric = typeof actual === "number";
    const cells = numeric
      ? [String(index + 1), ...[actual, predicted, predicted - actual].map(formatNumber)]
      : [String(index + 1), actual, predicted, actual === predicted ? "✓" : "✗"];
    for (const text of cells) {
      const td = document.createElement("td");
      td.textContent = text;
      tr.append(td);
    }
    return tr;
  });
  $("predictions-table").tBodies[0].replaceChildren(...rows);
}

// The live loss chart (uPlot, vendored): one series, epochs on x.
export function createLossChart(container) {
  const epochs = [];
  const losses = [];
  const width = () => Math.max(260, container.clientWidth - 8);
  const plot = new window.uPlot(
    {
      width: width(),
      height: 220,
      scales: { x: { time: false } },
      axes: [{ label: "epoch" }, { label: "training loss" }],
      series: [{ label: "epoch" }, { label: "training loss", stroke: "#1f77b4", width: 2 }],
      legend: { show: false },
    },
    [epochs, losses],
    container,
  );
  window.addEventListener("resize", () => plot.setSize({ width: width(), height: 220 }));
  return {
    reset() {
      epochs.length = 0;
      losses.length = 0;
      plot.setData([epochs, losses]);
    },
    append(points) {
      for (const [epoch, loss] of points) {
        epochs.push(epoch);
        losses.push(loss);
      }
      plot.setData([epochs, losses]);
    },
  };
}
