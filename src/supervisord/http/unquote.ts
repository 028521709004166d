/**
 * Python's urllib.parse.unquote: `%XX` runs become bytes decoded as UTF-8 (invalid sequences
 * become U+FFFD), malformed escapes stay as written. Medusa applies it to the path part only.
 */
const utf8 = new TextDecoder("utf-8", { fatal: false });

export function pyUnquote(s: string): string {
  if (!s.includes("%")) return s;
  return s.replace(/(?:%[0-9A-Fa-f]{2})+/g, (run) => {
    const bytes = new Uint8Array(run.length / 3);
    for (let i = 0; i < bytes.length; i++) bytes[i] = parseInt(run.slice(i * 3 + 1, i * 3 + 3), 16);
    return utf8.decode(bytes);
  });
}

/** Splits a request target into its decoded path and raw query (without the `?`). */
export function splitRequestTarget(url: string): { path: string; query: string | null; uri: string } {
  const q = url.indexOf("?");
  const rawPath = q >= 0 ? url.slice(0, q) : url;
  const query = q >= 0 ? url.slice(q + 1) : null;
  const path = pyUnquote(rawPath);
  return { path, query, uri: query ? `${path}?${query}` : path };
}
