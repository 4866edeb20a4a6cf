// "Link with the data": the loaded table's bytes, deflated by the browser's own
// CompressionStream and written base64url into the URL's fragment (after #), which the
// browser never sends to a server. The link also holds the settings, the target and the
// features, so opening it loads the table and Train trains. Its size limit is a shared
// fact (facts.limits.max_data_link_bytes, after compression): above it the page points to
// the demo folder (python -m fcnn demo) instead.

const FORMAT = "deflate-raw";

async function streamed(bytes, transform) {
  const stream = new Blob([bytes]).stream().pipeThrough(transform);
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

function toBase64Url(bytes) {
  let text = "";
  const chunk = 0x8000; // String.fromCharCode takes a bounded number of arguments
  for (let i = 0; i < bytes.length; i += chunk) text += String.fromCharCode(...bytes.subarray(i, i + chunk));
  return btoa(text).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

function fromBase64Url(text) {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) throw new Error("it holds characters a data link never has");
  const padded = text.replace(/-/g, "+").replace(/_/g, "/") + "=".repeat((4 - (text.length % 4)) % 4);
  const binary = atob(padded);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i += 1) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

// {packed, compressedBytes}: the table's bytes deflated and base64url-encoded.
export async function packTable(bytes) {
  const source = typeof bytes === "string" ? new TextEncoder().encode(bytes) : new Uint8Array(bytes);
  const compressed = await streamed(source, new CompressionStream(FORMAT));
  return { packed: toBase64Url(compressed), compressedBytes: compressed.length };
}

// The table's bytes back from a link's `data` value; throws an Error saying why it cannot.
export async function unpackTable(packed) {
  if (!packed) throw new Error("it holds no data");
  let compressed;
  try {
    compressed = fromBase64Url(packed);
  } catch (error) {
    throw new Error(error.message.startsWith("it ") ? error.message : "it is not valid base64url");
  }
  try {
    return await streamed(compressed, new DecompressionStream(FORMAT));
  } catch {
    throw new Error("its data is cut short or damaged");
  }
}

// The data and its file name from a location hash, or null when the link carries none.
export function linkedData(hash) {
  const params = new URLSearchParams(hash.replace(/^#/, ""));
  if (!params.has("data")) return null;
  return { packed: params.get("data"), name: params.get("data_name") || "linked.csv" };
}

// The hash of a data link: the settings' hash plus the packed table and its name.
export function dataHash(settingsHash, packed, name) {
  const params = new URLSearchParams(settingsHash.replace(/^#/, ""));
  params.delete("sample");
  params.set("data_name", name);
  params.set("data", packed);
  return "#" + params.toString();
}
