// The notice shown while the engine has not answered for a long time (see
// engine.js): how long, doing what, and a button to restart it. Text only.
import { $ } from "../dom.js";

// what each engine call is doing, in the user's words
const DOING = {
  train_for: "a training step",
  step: "a training epoch",
  load_csv: "reading the file",
  start: "preparing the data and the network",
  results: "computing the results",
  predict_csv: "predicting the file",
  grid: "drawing the 2-D map",
  gradient_report: "checking the gradients",
};

let ticker = null;

// call: {name, begun} from engine.js, or null to hide the notice.
export function showSlowCall(call) {
  clearInterval(ticker);
  ticker = null;
  const box = $("engine-slow");
  box.hidden = !call;
  if (!call) return;
  const doing = DOING[call.name] || "its work";
  const say = () => {
    const seconds = waitedSeconds(call);
    $("engine-slow-text").textContent =
      `The engine has not answered for ${seconds} s (${doing}). A very large file or network can take this long; ` +
      "if it seems stuck, restart the engine: your data and the last trained model are kept, a run in progress is lost.";
  };
  say();
  ticker = setInterval(say, 1000);
}


export function waitedSeconds(call) {
  return Math.round((performance.now() - call.begun) / 1000);
}
