/**
 * Keeping secrets out of text: configured credential values, and any JWT (upstreams sometimes quote the
 * token they refused). Used on every tool result (server.ts) and on every recorded fixture (scripts/record.ts).
 *
 * A value can reach a result in more forms than the raw one: an upstream may quote it inside a JSON string
 * that is itself inside a JSON string (each level escapes `"` and `\` again), escape it the way Go does
 * (`<`, `>`, `&` and non-ASCII as `\u00XX`), or percent-encode it in a URL. Every such form is removed.
 */

/** A JWT (header.payload.signature, base64url). */
const JWT = /eyJ[A-Za-z0-9_-]*\.eyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*/g;

const REDACTED = "[redacted]";
const REDACTED_TOKEN = "[redacted token]";

/** How deep an upstream may nest JSON in JSON strings before we stop following (each level is one escape). */
const ESCAPE_LEVELS = 4;

/**
 * Secrets at least this long are removed wherever they occur. Shorter ones (such as `secret`, the key of
 * `livekit-server --dev`) are removed only where they stand alone (a whole string value or a whole word),
 * since removing every occurrence of a short string would mangle results ("secretary", ids, prose).
 */
export const MIN_SUBSTRING_SECRET_LENGTH = 8;

/** Characters that continue a word: a short secret next to one of them is part of something else. */
const WORD_CHAR = "A-Za-z0-9_";

export interface SecretScrubber {
  /**
   * The text with every form of every secret, and every JWT, replaced. `handout` is the one token the
   * caller exists to hand out (a join token it minted): that exact token is kept, every other one replaced.
   */
  text(text: string, handout?: string): string;
  /** A copy of a JSON value with every string (and key) scrubbed; the structure stays as it was. */
  value<T>(value: T, handout?: string): T;
  /**
   * Whether a value's JSON text holds nothing to scrub: no form of any secret, even one escape level deeper
   * than `text` looks (a string's escaped form is what its JSON text shows), and no token but `handout`.
   * When it holds, scrubbing the value would change nothing, so a result need not be copied.
   */
  clean(json: string, handout?: string): boolean;
}

/**
 * A scrubber for `secrets`: those of at least `minSubstringLength` characters are replaced wherever they
 * occur, in every form; shorter ones only as whole words or values.
 */
export function createSecretScrubber(
  secrets: readonly string[],
  minSubstringLength: number = MIN_SUBSTRING_SECRET_LENGTH,
): SecretScrubber {
  const given = [...new Set(secrets.filter((s) => s !== ""))];
  const long = given.filter((s) => s.length >= minSubstringLength);
  const short = given.filter((s) => s.length < minSubstringLength);
  // Longest first, so a secret that contains another is replaced whole.
  const anywhere = longestFirst(long.flatMap((s) => formsOf(s, ESCAPE_LEVELS)));
  const standalone = standaloneRegExp(
    short.flatMap((s) => formsOf(s, ESCAPE_LEVELS)),
    "g",
  );
  // What `clean` looks for in a value's JSON text, where every string is one escape deeper than in the value.
  const deeperAnywhere = longestFirst(long.flatMap((s) => formsOf(s, ESCAPE_LEVELS + 1)));
  const deeperStandalone = standaloneRegExp(short.flatMap((s) => formsOf(s, ESCAPE_LEVELS + 1)));
  const text = (input: string, handout?: string): string => {
    let out = input;
    for (const form of anywhere) {
      if (out.includes(form)) {
        out = out.split(form).join(REDACTED);
      }
    }
    if (standalone !== undefined) {
      out = out.replace(standalone, REDACTED);
    }
    // Only a whole token equal to the handout survives, and only after the secrets are gone: a handout that
    // contained a configured secret would no longer match and is replaced like any other token.
    return out.replace(JWT, (token) => (handout !== undefined && token === handout ? token : REDACTED_TOKEN));
  };
  const value = <T>(input: T, handout?: string): T => scrubValue(input, (s) => text(s, handout)) as T;
  const clean = (json: string, handout?: string): boolean =>
    !deeperAnywhere.some((form) => json.includes(form)) &&
    !(deeperStandalone?.test(json) ?? false) &&
    [...json.matchAll(JWT)].every(([token]) => handout !== undefined && token === handout);
  return { text, value, clean };
}

function longestFirst(forms: readonly string[]): string[] {
  return [...new Set(forms)].sort((a, b) => b.length - a.length);
}

/** Short secrets match only standing alone, not inside a longer word. Without `g`, `test` keeps no state. */
function standaloneRegExp(forms: readonly string[], flags = ""): RegExp | undefined {
  const sorted = longestFirst(forms);
  return sorted.length === 0
    ? undefined
    : new RegExp(`(?<![${WORD_CHAR}])(?:${sorted.map(escapeRegExp).join("|")})(?![${WORD_CHAR}])`, flags);
}

/**
 * The text-only scrubber scripts/record.ts and error scrubbing use: every secret of at least `minLength`
 * characters, in every form, and every token. Shorter values are left alone.
 */
export function secretScrubber(secrets: readonly string[], minLength: number): (text: string) => string {
  return createSecretScrubber(
    secrets.filter((s) => s.length >= minLength),
    minLength,
  ).text;
}

function scrubValue(value: unknown, text: (s: string) => string): unknown {
  if (typeof value === "string") {
    return text(value);
  }
  if (Array.isArray(value)) {
    return value.map((item) => scrubValue(item, text));
  }
  if (typeof value === "object" && value !== null) {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [text(key), scrubValue(item, text)]),
    );
  }
  return value;
}

/** Every form one secret can take in emitted text, to `levels` escapes deep (deduplicated). */
function formsOf(secret: string, levels: number): string[] {
  const seeds = [secret];
  const encoded = percentEncoded(secret);
  if (encoded !== undefined) {
    seeds.push(encoded, encoded.replaceAll("%20", "+"));
  }
  const forms = new Set<string>();
  for (const seed of seeds) {
    let standard = seed;
    let asciiSafe = seed;
    forms.add(seed);
    for (let level = 1; level <= levels; level++) {
      standard = jsonEscaped(standard);
      asciiSafe = goEscaped(asciiSafe);
      forms.add(standard);
      forms.add(asciiSafe);
    }
  }
  return [...forms];
}

/** The content of the JSON string holding `text`. */
function jsonEscaped(text: string): string {
  return JSON.stringify(text).slice(1, -1);
}

/** As Go's encoding/json (and Python's ensure_ascii) write it: HTML characters and non-ASCII as \uXXXX. */
function goEscaped(text: string): string {
  return jsonEscaped(text).replace(
    /[<>&\u007f-\uffff]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
}

function percentEncoded(text: string): string | undefined {
  try {
    const encoded = encodeURIComponent(text);
    return encoded === text ? undefined : encoded;
  } catch {
    return undefined; // an unpaired surrogate has no percent-encoding
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
