// Which network the Neurons face draws (neurons-view.js): the run's own, while the settings that
// shape it (target, features, task, hidden layers) are still those it started with; else the one
// the settings plan, drawn greyed until Train builds it. Inputs and outputs are named as the
// user knows them: the run's encoded inputs (a text column's categories one by one) and classes.
import { app } from "./page.js";
import { readConfig } from "./share-link.js";
import { tickedFeatureNames } from "./views/data-panel.js";
import { describedTarget } from "./views/task-view.js";

const shapeOf = (config) =>
  JSON.stringify([config.target, config.features ?? null, config.task, (config.hidden_layers || []).map(Number)]);

function outputsOf(task, target, classes, count = classes.length) {
  if (task === "regression" || !task) return [target || "output"];
  if (task === "binary") return [`P(${classes[1] ?? "class 1"})`];
  return Array.from({ length: count }, (_, i) => classes[i] ?? `class ${i + 1}`);
}

function plannedSpec(config) {
  const described = describedTarget();
  const inputs = app.hasData ? tickedFeatureNames() : [];
  const task = config.task !== "auto" ? config.task : described?.detected;
  const outputs = described && described.target === config.target
    ? outputsOf(task, config.target, described.classes, described.n_classes)
    : outputsOf(task, config.target, []);
  const hidden = (config.hidden_layers || []).map((width) => Math.max(1, Number(width) || 1));
  return { inputs, hidden, outputs, source: "planned", twoD: inputs.length === 2 };
}

function runSpec(run) {
  const outputs = outputsOf(run.task, run.config.target, run.classes || []);
  return { inputs: run.inputs, hidden: run.config.hidden_layers.map(Number), outputs, source: "run", twoD: run.features.length === 2 && run.inputs.length === 2 };
}

export function networkSpec() {
  const config = readConfig();
  const run = app.started;
  return run && shapeOf(run.config) === shapeOf(config) ? runSpec(run) : plannedSpec(config);
}
