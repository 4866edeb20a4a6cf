// The network drawn two ways: the node graph in topological order (name, kind, shape),
// and a neuron view where edges are weights, blue positive, orange negative, thicker when larger.
import { $, el, formatNumber, svg } from "../dom.js";

const MAX_NEURONS_DRAWN = 24; // a wide layer shows its first neurons; the edges to the rest are skipped

const LOSS_BY_TASK = { regression: "MSE", binary: "binary cross-entropy", multiclass: "softmax cross-entropy" };

// The graph the controls describe, before a model is built: one linear node and activation
// per hidden layer, the output layer and the loss (named once the task is known).
export function showPlannedGraph(hiddenLayers, activation, task) {
  const hidden = Array.from({ length: hiddenLayers }, () => `linear → ${activation}`);
  const loss = LOSS_BY_TASK[task] || "loss";
  $("graph-line").textContent = `input X → ${[...hidden, "linear"].join(" → ")} → ${loss} ← labels y`;
}

export function showNodes(nodes) {
  const items = nodes.map((n) => `${n.name} · ${n.kind}${n.shape.length ? " · " + n.shape.join("×") : ""}`);
  const line = "graph in topological order: " + nodes.map((n) => `${n.name} (${n.kind})`).join(" → ");
  const list = $("node-list");
  // a training run's nodes stay the same from one refresh to the next: the page is left as it is
  const shown = [...list.children].map((item) => item.textContent);
  if ($("graph-line").textContent === line && shown.join("\n") === items.join("\n")) return;
  list.replaceChildren(...items.map((text) => el("li", text, { "data-testid": "graph-node" })));
  $("graph-line").textContent = line;
}

export function showNeurons(view) {
  const canvas = $("neuron-view");
  const width = 640;
  const height = 260;
  const layers = view.sizes.length;
  const column = (l) => 30 + (l * (width - 60)) / Math.max(1, layers - 1);
  const shown = view.sizes.map((s) => Math.min(s, MAX_NEURONS_DRAWN));
  const place = (l, i) => 20 + ((i + 0.5) * (height - 40)) / shown[l];
  let strongest = 1e-12;
  for (const edges of view.edges) for (const e of edges) strongest = Math.max(strongest, Math.abs(e[2]));
  const parts = [];
  view.edges.forEach((edges, l) => {
    for (const [from, to, weight] of edges) {
      if (from >= shown[l] || to >= shown[l + 1]) continue;
      parts.push(
        svg("line", {
          x1: column(l), y1: place(l, from), x2: column(l + 1), y2: place(l + 1, to),
          stroke: weight >= 0 ? "#1f77b4" : "#ff7f0e",
          "stroke-width": (0.3 + 3.5 * (Math.abs(weight) / strongest)).toFixed(2),
          "stroke-opacity": "0.7",
          "data-testid": "neuron-edge",
          // which weight the edge draws: W{layer+1}[from][to]
          "data-layer": l, "data-from": from, "data-to": to,
        }),
      );
    }
  });
  view.sizes.forEach((size, l) => {
    for (let i = 0; i < shown[l]; i++) parts.push(svg("circle", { cx: column(l), cy: place(l, i), r: 4, fill: "#333", "data-testid": "neuron" }));
    const label = svg("text", { x: column(l), y: height - 4, "text-anchor": "middle", "font-size": "11" });
    label.textContent = size > shown[l] ? `${size} (${shown[l]} shown)` : String(size);
    parts.push(label);
  });
  canvas.replaceChildren(...parts);
}

// One group of rows per network checked; the node's kind sits under its name, so the
// table is two columns and fits a phone's width.
export function showGradientReport(answer) {
  const rows = [];
  for (const report of answer.reports) {
    const group = el("tr", null, { class: "group" });
    group.append(el("th", report.network, { colspan: "2", scope: "colgroup" }));
    rows.push(group);
    for (const node of report.nodes) {
      const name = el("td");
      name.append(el("span", node.node), el("span", node.kind, { class: "kind" }));
      const tr = el("tr", null, { "data-testid": "gradcheck-row" });
      tr.append(name, el("td", formatNumber(node.max_relative_error)));
      rows.push(tr);
    }
  }
  $("gradcheck-table").tBodies[0].replaceChildren(...rows);
}
