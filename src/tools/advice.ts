/**
 * The advice an upstream error ends with, the same way for every provider's tools: the tool's own hint for
 * the code, else the provider's, else a fallback, so no error leaves an agent without a next step. A write
 * whose outcome is unknown always says so, since "retry" would then risk doing it twice.
 */
import { isUpstreamError, type UpstreamError, withHint } from "../errors.js";
import { narrowerCall } from "../result-size.js";
import type { JsonSchema, ToolAnnotations } from "./define.js";

type Hints = Readonly<Partial<Record<string, string>>>;

export interface AdviceSpec {
  readonly toolName: string;
  readonly annotations: ToolAnnotations;
  readonly inputSchema: JsonSchema;
  /** The provider's hints by code (read-only tools may get others than writes). */
  readonly providerHints: Hints;
  /** The tool's own hints by code; they win over everything, unknown outcomes included. */
  readonly toolHints: Hints;
  /** Advice when neither has a hint for the code. */
  readonly fallback: (error: UpstreamError) => string;
}

/** The error with its advice attached; anything that is not an UpstreamError passes through unchanged. */
export function advise(error: unknown, spec: AdviceSpec): unknown {
  if (!isUpstreamError(error)) {
    return error;
  }
  const own = spec.toolHints[error.code];
  if (error.outcomeUnknown && !spec.annotations.readOnlyHint) {
    return error.withHint(own ?? unknownOutcome(spec.toolName));
  }
  if (own !== undefined && error.hint === undefined) {
    return error.withHint(own);
  }
  if (error.code === "too_large" && error.hint === undefined) {
    return error.withHint(tooLarge(error, spec));
  }
  const hinted = withHint(error, spec.providerHints);
  if (isUpstreamError(hinted) && hinted.hint === undefined) {
    return hinted.withHint(spec.fallback(hinted));
  }
  return hinted;
}

export function unknownOutcome(toolName: string): string {
  return (
    `Whether ${toolName} took effect is unknown: the request may have reached the server. Check (e.g. with a list ` +
    "or get tool) before calling it again, since a repeat could act twice."
  );
}

function tooLarge(error: UpstreamError, spec: AdviceSpec): string {
  const succeeded = error.status !== undefined && error.status >= 200 && error.status <= 299;
  const done = succeeded && !spec.annotations.readOnlyHint ? "The call itself succeeded. " : "";
  return `${done}To get an answer, ${narrowerCall(spec.inputSchema)}.`;
}
