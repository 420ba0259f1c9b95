/**
 * Keeping every message a client can read. The MCP SDK's stdio reader (the official client's) gives up on a
 * line over 10 MB ("ReadBuffer exceeded") and drops the whole connection; a tool result carries its JSON twice
 * (structuredContent, and the text block with every quote escaped), so the whole line is what is measured.
 */
import type { JsonSchema } from "./tools/define.js";

/** The longest line this server writes: below the SDK reader's 10 MB, with room for the JSON-RPC envelope. */
export const MAX_MESSAGE_BYTES = 8 * 1024 * 1024;

/** About how many bytes a result whose text block is `text` takes on the wire (structured copy included). */
export function resultMessageBytes(text: string): number {
  return Buffer.byteLength(text) * 2 + (JSON.stringify(text).length - text.length) + 256;
}

/** An error text when a result is too large to send, else undefined. */
export function oversizedResult(text: string, toolName: string, inputSchema: JsonSchema): string | undefined {
  const bytes = resultMessageBytes(text);
  if (bytes <= MAX_MESSAGE_BYTES) {
    return undefined;
  }
  const mb = (n: number) => `${(n / (1024 * 1024)).toFixed(1)} MiB`;
  return (
    `The result of ${toolName} would be a ${mb(bytes)} message, more than an MCP client reads in one message ` +
    `(${mb(MAX_MESSAGE_BYTES)} here), so it was not sent. The call itself succeeded; ${narrowerCall(inputSchema)}.`
  );
}

/** Which narrower call to make instead, from the arguments the tool offers. */
export function narrowerCall(inputSchema: JsonSchema): string {
  const properties = (inputSchema.properties ?? {}) as Record<string, JsonSchema>;
  const has = (name: string) => name in properties;
  const ways: string[] = [];
  if (has("limit")) {
    const next = has("cursor")
      ? " (then the previous page's next_cursor as cursor for the next page)"
      : has("start")
        ? " (then the previous result's last as start for the next page)"
        : "";
    ways.push(`pass a smaller limit${next}`);
  }
  const detail = properties.detail?.enum;
  if (Array.isArray(detail) && detail.includes("summary")) {
    ways.push('pass detail: "summary"');
  }
  if (has("names")) {
    ways.push("pass names to get only the rooms you need");
  }
  if (ways.length === 0) {
    return (
      "ask for less: one item with a get tool instead of a list tool (e.g. get_participant, not " +
      "list_participants), or arguments that filter what is returned; if one item alone is this large, the " +
      "operator can raise the limit named above"
    );
  }
  return `ask for less: ${ways.join("; or ")}`;
}
