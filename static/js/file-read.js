// A user's file goes to the engine as its bytes, never as text decoded here:
// the engine finds the encoding (UTF-8 with or without a byte-order mark,
// UTF-16, Latin-1) and refuses binary files, which the browser's own
// file.text() would have turned into replacement characters.

export function formatSize(bytes) {
  if (bytes < 1024) return `${bytes} bytes`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

// The file's bytes as a Uint8Array, or an Error whose message says what to do.
export async function readBytes(file) {
  try {
    return new Uint8Array(await file.arrayBuffer());
  } catch (error) {
    throw new Error(`the browser could not read it (${error.message}); choose the file again`);
  }
}
