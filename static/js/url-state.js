// The URL's part after # as history: each state the page puts there (a sample or a lesson
// chosen, a run started, "Link to this configuration" followed) is a history entry of its own,
// and Back or Forward restores exactly what the entry names (app.js applies it). Nothing the
// user has is lost on the way: a table of their own stays loaded when an entry names no data.

// the hash the page put in the URL last (or found there at start)
let current = location.hash;

export function pushUrlState(hash) {
  if (!hash || hash === "#" || hash === location.hash) return;
  history.pushState({ fcnn: true }, "", hash);
  current = hash;
}

// apply(hash): the controls and the data set to what `hash` names; called on Back and Forward
// (and when the user edits the address bar's fragment).
export function wireUrlState(apply) {
  window.addEventListener("popstate", () => {
    if (location.hash === current) return;
    current = location.hash;
    apply(location.hash);
  });
}
