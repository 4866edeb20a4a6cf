// The paged predictions table: only the current page's rows are in the DOM,
// so 10 000 test rows cost no more than 50.
import { $, formatNumber, row } from "../dom.js";

export const PAGE_ROWS = 50;
const view = { rows: [], page: 0 };

export function showPredictions(rows, target) {
  view.rows = rows;
  view.page = 0;
  $("actual-heading").textContent = `actual ${target}`;
  draw();
}

export function clearPredictions() {
  showPredictions([], "");
  $("actual-heading").textContent = "actual";
}

export function turnPage(delta) {
  const pages = Math.max(1, Math.ceil(view.rows.length / PAGE_ROWS));
  view.page = Math.min(pages - 1, Math.max(0, view.page + delta));
  draw();
}

function draw() {
  const start = view.page * PAGE_ROWS;
  const shown = view.rows.slice(start, start + PAGE_ROWS).map(([actual, predicted], i) => {
    const numeric = typeof actual === "number";
    const cells = numeric
      ? [start + i + 1, ...[actual, predicted, predicted - actual].map(formatNumber)]
      : [start + i + 1, actual, predicted, actual === predicted ? "✓" : "✗"];
    return row(cells);
  });
  $("predictions-table").tBodies[0].replaceChildren(...shown);
  const pages = Math.max(1, Math.ceil(view.rows.length / PAGE_ROWS));
  $("page-info").textContent = view.rows.length
    ? `page ${view.page + 1} of ${pages} (${view.rows.length} rows)`
    : "";
  $("page-prev").disabled = view.page === 0;
  $("page-next").disabled = view.page >= pages - 1;
}

export function predictionsCsv(target) {
  const quote = (v) => {
    const text = String(v);
    return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
  };
  const lines = [["row", `actual ${target}`, `predicted ${target}`].map(quote).join(",")];
  view.rows.forEach(([actual, predicted], i) => lines.push([i + 1, actual, predicted].map(quote).join(",")));
  return lines.join("\n") + "\n";
}
