// What one step of the trace shows, built from the trace as its parts came (trace-parts.js):
// forward (a node's value and the formula it applied), backward (what its outbound nodes sent back,
// their sum, its local derivative, what it sends on; a weight's step) and the update.
// The formulas are the node classes' docstrings (docs[kind]), split into forward and backward parts.
// All text through textContent (node names come from the user's column names).
import { el, formatNumber } from "../dom.js";
import { matrixFigure } from "./trace-matrix.js";

// The step list: every node in topological order, then in reverse, then the update.
export function traceSteps(nodes) {
  return [
    ...nodes.map((n) => ({ phase: "forward", name: n.name })),
    ...[...nodes].reverse().map((n) => ({ phase: "backward", name: n.name })),
    { phase: "update", name: null },
  ];
}

// The docstring's lines with its hard wraps undone: a line not ending a sentence or a clause
// goes on in the next, unless that one starts a derivative (dL/d…).
function unwrapped(doc) {
  const lines = [];
  for (const line of String(doc || "").split("\n")) {
    const last = lines[lines.length - 1];
    if (last?.trim() && line.trim() && !/[.:]\s*$/.test(last) && !/^\s*d\w*\/d/.test(line)) lines[lines.length - 1] = `${last} ${line.trim()}`;
    else lines.push(line);
  }
  return lines;
}

// A docstring's forward part (what the node computes) and backward part (its local derivative).
// The backward part begins at the first line naming "backward" or starting with a derivative
// (dL/d…), or at ",  dY/dX" inside a one-line "Y = f(X),  dY/dX = …".
export function splitFormula(doc) {
  // a line on ``attributes`` is a note on the implementation, not the math
  const lines = unwrapped(doc).filter((line) => !line.trim().startsWith("``")).map((line) => line.replaceAll("``", ""));
  const at = lines.findIndex((line) => /^\s*dL\/d|\bbackward\b|,\s+dY\/dX/.test(line));
  if (at < 0) return { forward: lines.join("\n").trim(), backward: "" };
  const inline = lines[at].search(/,\s+dY\/dX/);
  const head = lines.slice(0, at);
  const tail = lines.slice(at + 1);
  if (inline > 0) {
    head.push(lines[at].slice(0, inline));
    tail.unshift(lines[at].slice(inline).replace(/^,\s+/, ""));
  } else {
    tail.unshift(lines[at]);
  }
  return { forward: head.join("\n").trim(), backward: tail.join("\n").trim() };
}

function formula(text, label) {
  const block = el("div", null, { class: "trace-formula-block" });
  block.append(el("p", label, { class: "hint" }), el("pre", text || "(none)", { class: "trace-formula", "data-testid": "trace-formula" }));
  return block;
}

const OPTIMIZER_STEPS = {
  SGD: "step = −lr · g",
  Momentum: "v ← 0.9 v − lr · g;  step = v (heavy-ball momentum)",
  Adam: "step = −lr · m̂ / (√v̂ + ε), with the bias-corrected moments m̂, v̂ of g",
};

function optimizerNote(answer) {
  const rule = OPTIMIZER_STEPS[answer.optimizer] || `the ${answer.optimizer} step`;
  return `${answer.optimizer}, lr = ${formatNumber(answer.learning_rate)}: ${rule}; g = dL/dW (plus λ·W when weight decay is on, biases excepted)`;
}

function section(title, ...children) {
  const part = el("div", null, { class: "trace-part" });
  part.append(el("h4", title), ...children);
  return part;
}

function forwardView(answer, node) {
  const from = node.inbound.length ? `computed from ${node.inbound.join(", ")}` : "no inbound node: it holds the batch or the weights";
  return [
    el("p", `${node.name} · ${node.kind} · ${from}`, { class: "trace-what" }),
    matrixFigure(node.value, `value of ${node.name}`, "trace-value"),
    formula(splitFormula(answer.docs[node.kind]).forward, "the formula it applied (forward)"),
  ];
}

function backwardView(answer, node) {
  const parts = [el("p", `${node.name} · ${node.kind}`, { class: "trace-what" })];
  const received = Object.entries(node.received);
  if (received.length === 1) {
    const [[out]] = received;
    parts.push(section("what its outbound node sent back (one path: nothing to sum)",
      matrixFigure(node.gradient, `from ${out}: dL/d${node.name}`, "trace-gradient")));
  } else if (received.length) {
    const sent = received.map(([out, g]) => matrixFigure(g, `from ${out}`, "trace-received", { "data-from": out }));
    const sum = matrixFigure(node.gradient, `their sum: dL/d${node.name}`, "trace-gradient");
    parts.push(section("what its outbound nodes sent back, and their sum (the chain rule's sum over paths)", ...sent, sum));
  } else if (node.gradient !== null) {
    parts.push(section("the loss itself", matrixFigure(node.gradient, `dL/d${node.name}`, "trace-gradient")));
  } else {
    parts.push(el("p", `Nothing needs dL/d${node.name}: it holds the batch's data, so nothing is sent back to it.`, { class: "hint" }));
  }
  parts.push(formula(splitFormula(answer.docs[node.kind]).backward, "its local derivative (backward)"));
  const sends = Object.entries(node.gradients);
  if (sends.length) parts.push(section("what it sends back", ...sends.map(([to, g]) => matrixFigure(g, `to ${to}: dL/d${to}`, "trace-sent", { "data-to": to }))));
  if (answer.steps[node.name]) {
    parts.push(section("the step the optimizer will take", el("p", optimizerNote(answer), { class: "hint" }),
      matrixFigure(answer.steps[node.name], `step of ${node.name}`, "trace-weight-step")));
  }
  return parts;
}

function updateView(answer, taken) {
  const parts = [el("p", `One ${answer.optimizer} step on every weight node, learning rate ${formatNumber(answer.learning_rate)}.`, { class: "trace-what" })];
  if (!taken) parts.push(el("p", "Taking the step…", { class: "hint" }));
  else if (!taken.ok) parts.push(el("p", `The step was not taken: ${taken.error}`, { class: "trace-problem" }));
  else {
    const match = taken.weights_match ? "the weights now equal those the trace showed after its step" : "the weights differ from those the trace showed";
    parts.push(el("p", `Loss of this batch: ${formatNumber(taken.loss)} before → ${formatNumber(taken.loss_after)} after; ${match}. Epoch ${taken.epoch}.`, {
      class: "trace-what", "data-testid": "trace-update-result", "data-weights-match": String(Boolean(taken.weights_match)),
    }));
  }
  const list = el("ul", null, { class: "trace-steps-list" });
  for (const [name, step] of Object.entries(answer.steps)) list.append(el("li", `${name}: step norm ${formatNumber(step.norm)}`));
  parts.push(list);
  return parts;
}

// The elements showing `step` of the trace `answer`; `taken` is take_traced_step's answer once the update ran.
export function stepView(answer, step, taken) {
  if (step.phase === "update") return updateView(answer, taken);
  const node = answer.nodes.find((n) => n.name === step.name);
  return step.phase === "forward" ? forwardView(answer, node) : backwardView(answer, node);
}

// The central-difference check of one node beside its analytic gradient (Session.check_trace_gradient).
export function checkView(result) {
  const box = el("div", null, {
    class: "trace-check", "data-testid": "trace-check", "data-node": result.node,
    "data-max-relative-error": String(result.max_relative_error),
  });
  const local = result.local ? `; its own backward, on a random upstream gradient: ${formatNumber(result.local.max_relative_error)}` : "";
  box.append(el("p", `dL/d${result.checked}: largest relative error ${formatNumber(result.max_relative_error)} over ${result.entries_checked} entries (ε = ${result.eps})${local}.`));
  const table = el("table", null, { class: "compact" });
  const head = el("tr");
  for (const title of ["entry", "analytic", "central difference"]) head.append(el("th", title, { scope: "col" }));
  table.append(el("thead"), el("tbody"));
  table.tHead.append(head);
  result.entries.forEach((index, k) => {
    const tr = el("tr");
    tr.append(el("td", `[${index.join(", ")}]`), el("td", formatNumber(result.analytic[k])), el("td", formatNumber(result.numeric[k])));
    table.tBodies[0].append(tr);
  });
  box.append(table);
  return box;
}
