// The run's configuration and its round trip through the URL hash; the defaults are the
// shared facts' (facts.js). The hash holds settings and a sample's name only — never the user's own data.

const NUMBERS = ["test_fraction", "learning_rate", "epochs", "batch_size", "weight_decay", "early_stopping", "seed"];

export function toHash(config) {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(config)) {
    if (value === null || value === undefined || value === "") continue;
    params.set(key, Array.isArray(value) ? value.join(",") : String(value));
  }
  return "#" + params.toString();
}

// A partial config from the hash: keys the defaults do not name are ignored, so an old link still opens.
export function fromHash(hash, defaults) {
  const params = new URLSearchParams(hash.replace(/^#/, ""));
  const config = {};
  for (const [key, value] of params) {
    if (!(key in defaults)) continue;
    if (key === "hidden_layers") config[key] = value.split(",").filter(Boolean).map(Number);
    else if (key === "features") config[key] = value.split(",").filter(Boolean);
    else if (NUMBERS.includes(key)) config[key] = Number(value);
    else config[key] = value;
  }
  return config;
}
