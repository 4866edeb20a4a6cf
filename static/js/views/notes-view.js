// A teacher's notes (a demo folder's, fcnn/web/notes.py) drawn from plain data: every piece
// is a createElement with textContent, so the notes' text never meets an HTML parser.
import { el } from "../dom.js";

// the notes sit under the panel's h2 and their own title (h3): their headings go one level deeper
const HEADINGS = { h2: "h4", h3: "h5", h4: "h6" };

function inline(piece) {
  if (piece.type === "link") {
    const link = el("a", piece.text, { href: piece.href, rel: "noopener", target: "_blank" });
    return link;
  }
  const tag = { strong: "strong", em: "em", code: "code" }[piece.type];
  return tag ? el(tag, piece.text) : document.createTextNode(String(piece.text ?? ""));
}

function withInlines(tag, pieces) {
  const node = el(tag);
  node.append(...(pieces || []).map(inline));
  return node;
}

function block(item) {
  if (HEADINGS[item.type]) return withInlines(HEADINGS[item.type], item.inlines);
  if (item.type === "ul" || item.type === "ol") {
    const list = el(item.type);
    list.append(...(item.items || []).map((pieces) => withInlines("li", pieces)));
    return list;
  }
  if (item.type === "pre") return el("pre", item.text);
  return withInlines("p", item.inlines);
}

// Fills ``box`` with the title and the notes' blocks, and shows it.
export function showNotes(box, title, blocks) {
  box.replaceChildren(el("h3", title), ...(blocks || []).map(block));
  box.hidden = false;
}
