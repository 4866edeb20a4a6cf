// The page's colours as the stylesheet sets them (static/css/app.css: light or dark, following
// prefers-color-scheme), for what is painted on a canvas or given to a chart: one colour language
// everywhere, blue positive, orange negative, grey for "not yet". A change of scheme is announced
// as fcnn:theme, so the views paint again.
import { emit } from "./events.js";

let cached = null;

function rgb(text) {
  const value = text.trim();
  if (value.startsWith("#")) {
    const hex = value.length === 4 ? value.slice(1).replace(/./g, (c) => c + c) : value.slice(1, 7);
    const n = parseInt(hex, 16);
    return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
  }
  const parts = value.match(/[\d.]+/g);
  return parts ? parts.slice(0, 3).map(Number) : [128, 128, 128];
}

export function themeColour(name) {
  return getComputedStyle(document.documentElement).getPropertyValue(`--${name}`).trim();
}

// {pos, neg, mid, none}: each an [r, g, b]
export function signColours() {
  if (!cached) {
    cached = { pos: rgb(themeColour("pos")), neg: rgb(themeColour("neg")), mid: rgb(themeColour("map-mid")), none: rgb(themeColour("none")) };
  }
  return cached;
}

export const css = (name) => themeColour(name);

const scheme = window.matchMedia?.("(prefers-color-scheme: dark)");
scheme?.addEventListener?.("change", () => {
  cached = null;
  emit("fcnn:theme", { dark: scheme.matches });
});
