/**
 * `strip_ansi=true` (dispatchers.py stripEscapes): remove every `ESC [` ... sequence up to and
 * including the first byte in `HfABCDRsuJKhlpm`.
 *
 * Like the reference it works on one chunk at a time with no state carried over: a sequence whose
 * terminator is in the next chunk removes the rest of this chunk and leaves the tail (e.g. `1m`)
 * in the next; an `ESC` at the very end of a chunk with its `[` in the next one is kept.
 */

const ESC_BRACKET = Buffer.from([0x1b, 0x5b]);
const TERMINATORS = new Uint8Array(256);
for (const ch of "HfABCDRsuJKhlpm") TERMINATORS[ch.charCodeAt(0)] = 1;

/** The chunk without its escape sequences; the same Buffer when it has none (no copy). */
export function stripAnsi(chunk: Buffer): Buffer {
  let n = chunk.indexOf(ESC_BRACKET);
  if (n === -1) return chunk;
  const parts: Buffer[] = [];
  let i = 0;
  while (n !== -1) {
    if (n > i) parts.push(chunk.subarray(i, n));
    // The reference resumes at the `[`, which is never a terminator: scan from the byte after it.
    let j = n + 2;
    while (j < chunk.length && TERMINATORS[chunk[j]!] === 0) j++;
    if (j >= chunk.length) return Buffer.concat(parts); // unterminated: the rest of the chunk goes
    i = j + 1;
    n = chunk.indexOf(ESC_BRACKET, i);
  }
  if (i < chunk.length) parts.push(chunk.subarray(i));
  return Buffer.concat(parts);
}
