// "Link with the data": the loaded table's bytes, deflated by the browser's own
// CompressionStream and written base64url into the URL's fragment (after #), which the
// browser never sends to a server. The link also holds the settings, the target and the
// features, so opening it loads the table and Train trains. Its size limit is a shared
// fact (facts.limits.max_data_link_bytes, after compression): above it the page points to
// the demo folder (python -m fcnn demo) instead.

const FORMAT = "deflate"; // zlib: its Adler-32 checksum tells a damaged link from a table

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

const SLICE = 64 * 1024; // bytes given to the compressor per task: it deflates what it is given in one go
const nextTask = () => new Promise((resolve) => setTimeout(resolve, 0));

// The table's bytes a slice at a time; a string is encoded slice by slice (18 MB at once is a
// 100 ms task), never cut inside a surrogate pair.
function* slicesOf(table) {
  if (typeof table !== "string") {
    // a view of the same memory: new Uint8Array(aTypedArray) would copy it (174 MB: a 400 ms task)
    const bytes = ArrayBuffer.isView(table)
      ? new Uint8Array(table.buffer, table.byteOffset, table.byteLength) : new Uint8Array(table);
    for (let at = 0; at < bytes.length; at += SLICE) yield bytes.subarray(at, at + SLICE);
    return;
  }
  const encoder = new TextEncoder();
  for (let at = 0; at < table.length;) {
    let end = Math.min(at + SLICE, table.length);
    const code = table.charCodeAt(end - 1);
    if (end < table.length && code >= 0xd800 && code <= 0xdbff) end -= 1; // keep the pair whole
    yield encoder.encode(table.slice(at, end));
    at = end;
  }
}

// `table` deflated a slice a task, so no task holds the main thread long (18 MB in one go held
// it 2 s); null as soon as the output passes `limit`, the rest left alone.
async function deflatedWithin(table, limit) {
  const stream = new CompressionStream(FORMAT);
  const writer = stream.writable.getWriter();
  const reader = stream.readable.getReader();
  const chunks = [];
  let size = 0;
  let over = false;
  const reading = (async () => {
    for (let read = await reader.read(); !read.done; read = await reader.read()) {
      chunks.push(read.value);
      size += read.value.length;
      if (size > limit) {
        over = true;
        await reader.cancel(); // the writer's pending write then fails: nothing more is deflated
        return;
      }
    }
  })();
  try {
    for (const slice of slicesOf(table)) {
      if (over) break;
      await writer.write(slice);
      await nextTask();
    }
    if (!over) await writer.close();
  } catch {
    // the stream was cancelled: the output passed the limit
  }
  await reading;
  if (over) return null;
  const out = new Uint8Array(size);
  chunks.reduce((at, chunk) => (out.set(chunk, at), at + chunk.length), 0);
  return out;
}

// {packed, compressedBytes}: the table (a string or its bytes) deflated and base64url-encoded.
// When the compressed table would pass `limit` (a link cannot carry it) packing stops early:
// packed is null and compressedBytes is null, as nothing says how big it would have been.
export async function packTable(table, limit = Infinity) {
  const compressed = await deflatedWithin(table, limit);
  if (compressed === null) return { packed: null, compressedBytes: null };
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
