// The network in words: the graph line under the node graph (the chain the controls describe),
// the list of the model's nodes, and the engine's gradient check table.
// (The units and weights are drawn by neurons-view.js, the node graph by graph-view.js.)
import { $, el, formatNumber } from "../dom.js";

const LOSS_BY_TASK = { regression: "MSE", binary: "binary cross-entropy", multiclass: "softmax cross-entropy" };

// The graph the controls describe, before a model is built: one linear node and activation
// per hidden layer, the output layer and the loss (named once the task is known).
export function showPlannedGraph(hiddenLayers, activation, task) {
  const hidden = Array.from({ length: hiddenLayers }, () => `linear → ${activation}`);
  const loss = LOSS_BY_TASK[task] || "loss";
  $("graph-line").textContent = `input X → ${[...hidden, "linear"].join(" → ")} → ${loss} ← labels y`;
}

// The model's nodes in topological order, listed (the side panel's node sheet).
export function showNodes(nodes) {
  const items = nodes.map((n) => `${n.name} · ${n.kind}${n.shape.length ? " · " + n.shape.join("×") : ""}`);
  const list = $("node-list");
  // a training run's nodes stay the same from one refresh to the next: the page is left as it is
  const shown = [...list.children].map((item) => item.textContent);
  if (shown.join("\n") === items.join("\n")) return;
  list.replaceChildren(...items.map((text) => el("li", text, { "data-testid": "graph-node" })));
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
