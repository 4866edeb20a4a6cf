// The controls built from the shared facts (facts.js): the sample list, the choice lists,
// the numeric inputs' limits. The visible texts of the choices live here, by value;
// a value with no text of its own shows as itself.
import { $, el } from "../dom.js";

const CHOICE_TEXTS = {
  task: { auto: "automatic", regression: "regression", binary: "binary classification", multiclass: "multi-class classification" },
  activation: { relu: "ReLU" },
  optimizer: { adam: "Adam", momentum: "SGD with momentum", sgd: "SGD" },
  scaling: { standard: "standardise (mean 0, sd 1)", minmax: "min-max (0 to 1)" },
};
const CHOICE_SELECTS = { task: "task-select", activation: "activation-select", optimizer: "optimizer-select", scaling: "scaling-select" };
const SAMPLE_GROUPS = { real: "Real data", toy: "2-D toy sets (generated, seeded)" };

function option(value, text) {
  const node = el("option", text);
  node.value = value;
  return node;
}

export function showSamples(samples) {
  const groups = Object.entries(SAMPLE_GROUPS).map(([group, label]) => {
    const node = el("optgroup", null, { label });
    node.append(...samples.filter((s) => s.group === group).map((s) => option(s.name, s.label)));
    return node;
  });
  $("sample-select").replaceChildren(option("", "— choose a sample —"), ...groups.filter((g) => g.children.length));
}

export function showChoices(choices) {
  for (const [key, id] of Object.entries(CHOICE_SELECTS)) {
    const texts = CHOICE_TEXTS[key];
    $(id).replaceChildren(...choices[key].map((value) => option(value, texts[value] || value)));
  }
}

export function showLimits(limits) {
  $("test-fraction").max = String(limits.max_test_fraction);
  $("epochs").max = String(limits.max_epochs);
  $("early-stopping").max = String(limits.max_epochs);
  $("batch-size").min = String(limits.min_batch_size);
  $("learning-rate").max = String(limits.max_learning_rate);
}

export function buildControls(facts) {
  showSamples(facts.samples);
  showChoices(facts.choices);
  showLimits(facts.limits);
}
