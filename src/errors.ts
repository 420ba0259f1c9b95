/**
 * The two error kinds a tool call can end in, besides success.
 *
 * Both become an MCP tool result with `isError: true` at the server boundary (see server.ts); neither
 * ever escapes as a JSON-RPC protocol error, and neither carries credentials.
 */

import type { ProviderId } from "./providers/provider.js";

/**
 * A failure reported by (or on the way to) a vendor API: an HTTP error answer, a non-JSON body from a
 * proxy or auth layer, a timeout, or a network failure.
 *
 * `code` is the vendor's own code, as a string: a Twirp code for LiveKit (`not_found`,
 * `failed_precondition`, …), the numeric `code` of the 100ms error body, `timeout` when no answer came in
 * time, or `unavailable` when the API could not be reached. Branch on `code`, never on `message`.
 */
export class UpstreamError extends Error {
  override readonly name = "UpstreamError";
  readonly provider: ProviderId;
  readonly code: string;
  /** HTTP status, when an HTTP answer was received. */
  readonly status: number | undefined;
  /** Extra data the vendor sent (Twirp `meta`, 100ms `details`), kept as given. */
  readonly details: Readonly<Record<string, unknown>>;
  /** What the caller can do about it, when the tool knows (set with {@link UpstreamError.withHint}). */
  readonly hint: string | undefined;
  /**
   * The request may have reached the vendor and acted, but no complete answer came (a deadline, a connection
   * broken after sending, a cancellation): whether a write took effect is unknown, and the advice must say so.
   */
  readonly outcomeUnknown: boolean;

  constructor(init: {
    provider: ProviderId;
    code: string;
    message: string;
    status?: number | undefined;
    details?: Record<string, unknown> | undefined;
    hint?: string | undefined;
    outcomeUnknown?: boolean | undefined;
    cause?: unknown;
  }) {
    super(init.message, init.cause === undefined ? undefined : { cause: init.cause });
    this.provider = init.provider;
    this.code = init.code;
    this.status = init.status;
    this.details = init.details ?? {};
    this.hint = init.hint;
    this.outcomeUnknown = init.outcomeUnknown ?? false;
  }

  /** The same error with advice for the caller attached (errors stay immutable once thrown). */
  withHint(hint: string): UpstreamError {
    const { provider, code, message, status, details, outcomeUnknown, cause } = this;
    return new UpstreamError({
      provider,
      code,
      message,
      status,
      details: { ...details },
      hint,
      outcomeUnknown,
      cause,
    });
  }
}

/**
 * A tool argument the caller got wrong, found before anything was sent upstream. `argument` is the
 * argument's name as it appears in the tool's input schema.
 */
export class ArgumentError extends Error {
  override readonly name = "ArgumentError";
  readonly argument: string;

  constructor(argument: string, message: string) {
    super(message);
    this.argument = argument;
  }
}

/** Narrowing helpers that survive duplicated module copies (compare by name, not identity). */
export function isUpstreamError(e: unknown): e is UpstreamError {
  return e instanceof UpstreamError || (e instanceof Error && e.name === "UpstreamError");
}

export function isArgumentError(e: unknown): e is ArgumentError {
  return e instanceof ArgumentError || (e instanceof Error && e.name === "ArgumentError");
}

/**
 * Advice for the caller, by the provider's error code. Each provider types its codes, so a hint for a code
 * it never returns does not compile.
 */
export type ErrorHints<Code extends string> = Readonly<Partial<Record<Code, string>>>;

/**
 * The error with the hint for its code attached. A hint set where the error was made is more specific
 * and wins; anything that is not an UpstreamError passes through unchanged.
 */
export function withHint(error: unknown, hints: Readonly<Partial<Record<string, string>>>): unknown {
  if (!isUpstreamError(error) || error.hint !== undefined) {
    return error;
  }
  const hint = hints[error.code];
  return hint === undefined ? error : error.withHint(hint);
}

/**
 * A call the operator's policy does not allow (room scope, read-only, a declined confirmation), refused
 * before anything was sent. Not the caller's mistake in form, so not an ArgumentError; the message says
 * what is allowed.
 */
export class PolicyError extends Error {
  override readonly name = "PolicyError";
}

export function isPolicyError(e: unknown): e is PolicyError {
  return e instanceof PolicyError || (e instanceof Error && e.name === "PolicyError");
}

/**
 * Something this server was not set up to do (no webhooks reach it, so there are no events to list): not
 * the caller's mistake and not a refusal; the message says what the operator would set up.
 */
export class NotConfiguredError extends Error {
  override readonly name = "NotConfiguredError";
}

export function isNotConfiguredError(e: unknown): e is NotConfiguredError {
  return e instanceof NotConfiguredError || (e instanceof Error && e.name === "NotConfiguredError");
}
