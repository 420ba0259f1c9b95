/**
 * Keeping secrets out of text: configured credential values, and any JWT (upstreams sometimes quote the
 * token they refused). Used on every tool result (server.ts) and on every recorded fixture (scripts/record.ts).
 */

/** A JWT (header.payload.signature, base64url). */
const JWT = /eyJ[A-Za-z0-9_-]*\.eyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*/g;

/**
 * Returns a function replacing every secret of at least `minLength` characters (so short dev values don't
 * mangle text), raw or as JSON string content, and every token. Longest first, so a secret that contains
 * another is replaced whole.
 */
export function secretScrubber(secrets: readonly string[], minLength: number): (text: string) => string {
  const needles = [
    ...new Set(
      secrets.filter((s) => s.length >= minLength).flatMap((s) => [s, JSON.stringify(s).slice(1, -1)]),
    ),
  ].sort((a, b) => b.length - a.length);
  return (text) =>
    needles
      .reduce((acc, needle) => acc.split(needle).join("[redacted]"), text)
      .replace(JWT, "[redacted token]");
}
