// The run's configuration: the page's defaults, and its round trip through the URL hash.
// The hash holds settings and a sample's name only — never the user's own data.

export const DEFAULTS = {
  sample: "",
  target: "",
  features: null, // null: every other column
  task: "auto",
  test_fraction: 0.3,
  scaling: "standard",
  hidden_layers: [8],
  activation: "relu",
  optimizer: "adam",
  learning_rate: 0.003,
  epochs: 200,
  batch_size: 16,
  weight_decay: 0,
  early_stopping: 30,
  seed: 20,
};

export const MAX_LAYERS = 10;
export const MAX_UNITS = 512;

const NUMBERS = ["test_fraction", "learning_rate", "epochs", "batch_size", "weight_decay", "early_stopping", "seed"];

export function toHash(config) {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(config)) {
    if (value === null || value === undefined || value === "") continue;
    params.set(key, Array.isArray(value) ? value.join(",") : String(value));
  }
  return "#" + params.toString();
}

// A partial config from the hash; unknown keys are ignored, so an old link still opens.
export function fromHash(hash) {
  const params = new URLSearchParams(hash.replace(/^#/, ""));
  const config = {};
  for (const [key, value] of params) {
    if (!(key in DEFAULTS)) continue;
    if (key === "hidden_layers") config[key] = value.split(",").filter(Boolean).map(Number);
    else if (key === "features") config[key] = value.split(",").filter(Boolean);
    else if (NUMBERS.includes(key)) config[key] = Number(value);
    else config[key] = value;
  }
  return config;
}
