// The facts the page and the engine share (defaults, limits, choices, samples), written
// from Python into static/vendor/facts.json (fcnn/run/settings.py): the page holds no copy.
const FACTS_URL = "./static/vendor/facts.json";

export const facts = { defaults: null, limits: null, choices: null, samples: [] };

// Reads facts.json into `facts`; a failure says what is wrong and what to do.
export async function loadFacts() {
  let response;
  try {
    response = await fetch(FACTS_URL);
  } catch (error) {
    throw new Error(`Could not read the page's settings (${FACTS_URL}): ${error.message}.`);
  }
  if (!response.ok) {
    throw new Error(`Could not read the page's settings (${FACTS_URL}, HTTP ${response.status}); rebuild them with \`make vendor\`.`);
  }
  let read;
  try {
    read = await response.json();
  } catch (_) {
    throw new Error(`The page's settings (${FACTS_URL}) are not valid JSON; rebuild them with \`make vendor\`.`);
  }
  for (const key of ["defaults", "limits", "choices", "samples"]) {
    if (!read[key]) throw new Error(`The page's settings (${FACTS_URL}) lack "${key}"; rebuild them with \`make vendor\`.`);
  }
  Object.assign(facts, read);
  return facts;
}

export const sampleNamed = (name) => facts.samples.find((sample) => sample.name === name) || null;

// a sample's name as the status says it: "Boston housing", "XOR"
export const sampleTitle = (name) => sampleNamed(name)?.title || sampleNamed(name)?.label || name;
