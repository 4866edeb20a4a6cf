// The page's handle on the Python engine running in the PyScript worker.
// Every call returns the parsed JSON answer: {ok: true, ...} or {ok: false, error}.

const WORKER_SELECTOR = 'script[type="py"][worker][name="engine"]';

function waitFor(check, intervalMs = 20) {
  return new Promise((resolve) => {
    const poll = () => {
      const value = check();
      if (value) resolve(value);
      else setTimeout(poll, intervalMs);
    };
    poll();
  });
}

export async function connectEngine() {
  const script = document.querySelector(WORKER_SELECTOR);
  // PyScript attaches `xworker` once it has processed the script tag.
  const xworker = await waitFor(() => script.xworker);
  const api = xworker.sync;
  // The worker's own readiness events never reach the main thread without
  // SharedArrayBuffer, so ask it: `ping` answers once numpy and fcnn imported.
  const numpyVersion = await waitForPing(api);
  const call = async (name, ...args) => JSON.parse(await api[name](...args));
  return {
    numpyVersion,
    loadCsv: (text, name) => call("load_csv", text, name),
    start: (config) => call("start", JSON.stringify(config)),
    trainFor: (milliseconds) => call("train_for", milliseconds),
    results: () => call("results"),
  };
}

async function waitForPing(api) {
  for (;;) {
    if (typeof api.ping === "function") {
      try {
        return await api.ping();
      } catch (_) {
        // not exported yet: the worker is still importing
      }
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}
