// The trace as it arrives in parts (Session.trace_begin, then trace_more until done): the first
// part is on screen at once, and the rest comes in the background while the user steps.
// `traceFromFirstPart` makes the trace answer the step views read (trace-steps.js): nodes with
// their value, what they received and sent back once known, the optimizer's steps, the losses.
// A step is ready once the numbers it shows are in.

export function traceFromFirstPart(first) {
  const answer = {
    ...first,
    nodes: first.nodes.map((node) => ({ ...node })),
    steps: {},
    done: false,
  };
  addPart(answer, first);
  return answer;
}

// Puts one part's numbers into the trace (each part holds only what it adds).
export function addPart(answer, part) {
  const byName = new Map(answer.nodes.map((node) => [node.name, node]));
  for (const [name, value] of Object.entries(part.values || {})) Object.assign(byName.get(name), { value, shape: value.shape });
  for (const [name, backward] of Object.entries(part.backward || {})) Object.assign(byName.get(name), backward);
  Object.assign(answer.steps, part.steps || {});
  for (const key of ["loss", "stepped", "loss_after"]) if (key in part) answer[key] = part[key];
  answer.done = Boolean(part.done);
}

// Whether the numbers `step` shows are in: a forward step needs the node's value, a backward one
// what it received and sends back (and a weight its step), the update the whole trace.
export function stepReady(answer, step) {
  if (step.phase === "update") return answer.done;
  const node = answer.nodes.find((n) => n.name === step.name);
  if (step.phase === "forward") return node.value !== undefined;
  return node.gradients !== undefined && (node.kind !== "WeightNode" || answer.stepped !== undefined && answer.steps[node.name] !== undefined);
}

// Asks for the parts after the first until the trace is done, or `stillWanted()` is false (the
// trace was left); `onPart()` after each. Answers null when done, else the failed answer.
export async function fetchRest(engine, answer, stillWanted, onPart) {
  while (!answer.done && stillWanted()) {
    const part = await engine.traceMore(answer.trace);
    if (!stillWanted()) return null;
    if (!part.ok) return part;
    addPart(answer, part);
    onPart();
  }
  return null;
}
