/**
 * Turning the operator's LIVEKIT_URL into the HTTP base URL that RoomService's Twirp endpoints hang off.
 */
import { ArgumentError } from "../../errors.js";

const SCHEMES: Readonly<Record<string, string>> = {
  "ws:": "http:",
  "wss:": "https:",
  "http:": "http:",
  "https:": "https:",
};

/**
 * Normalise LIVEKIT_URL to `http(s)://host[:port][/prefix]` without a trailing slash.
 *
 * LiveKit's own tooling hands out `wss://…` URLs (what clients connect to); the server API lives on the same
 * host over HTTP, so ws→http and wss→https. Unlike livekit-server-sdk we keep a path prefix, so a LiveKit
 * behind a reverse proxy at `https://example.com/livekit` works. Anything else is rejected with a message
 * that says how to fix it, before a request is ever made.
 */
export function toHttpBaseUrl(url: string): string {
  const input = url.trim();
  if (input === "") {
    throw new ArgumentError(
      "LIVEKIT_URL",
      "LIVEKIT_URL is empty; set it to your server, e.g. wss://my-project.livekit.cloud",
    );
  }
  // "my.livekit.cloud" fails to parse and "localhost:7880" parses with scheme "localhost:"; both lack "://".
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(input)) {
    throw new ArgumentError(
      "LIVEKIT_URL",
      `LIVEKIT_URL "${input}" has no scheme; add one, e.g. wss://${input} (or https://, or http:// for a local dev server)`,
    );
  }
  let parsed: URL;
  try {
    parsed = new URL(input);
  } catch {
    throw new ArgumentError("LIVEKIT_URL", `LIVEKIT_URL "${input}" is not a valid URL`);
  }
  const scheme = SCHEMES[parsed.protocol];
  if (scheme === undefined) {
    throw new ArgumentError(
      "LIVEKIT_URL",
      `LIVEKIT_URL has unsupported scheme "${parsed.protocol}"; use wss://, ws://, https:// or http://`,
    );
  }
  // Don't echo the URL here: whatever sits before "@" may be a password.
  if (parsed.username !== "" || parsed.password !== "") {
    throw new ArgumentError(
      "LIVEKIT_URL",
      "LIVEKIT_URL must not contain user info (user:password@); credentials go in LIVEKIT_API_KEY / LIVEKIT_API_SECRET",
    );
  }
  if (parsed.search !== "" || parsed.hash !== "") {
    throw new ArgumentError(
      "LIVEKIT_URL",
      `LIVEKIT_URL "${input}" must not contain a query (?…) or fragment (#…)`,
    );
  }
  return `${scheme}//${parsed.host}${parsed.pathname.replace(/\/+$/, "")}`;
}
