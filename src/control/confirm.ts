/**
 * Confirmed destructive actions (`--confirm auto|always|never`). Before a tool whose targets carry a
 * confirmation runs, the person is asked through the client: an elicitation, returned as an input-required
 * result (the SDK serves it to 2026-07-28 clients as is and to 2025-era clients as an elicitation request).
 * Nothing in the tool's arguments counts as a yes; the answer is bound to the exact call it was asked for.
 */
import { createHash, randomBytes } from "node:crypto";
import {
  acceptedContent,
  type CallToolResult,
  createRequestStateCodec,
  inputRequired,
  inputResponse,
  type RequestStateCodec,
} from "@modelcontextprotocol/server";
import { PolicyError } from "../errors.js";
import type { ToolArguments, ToolTargets } from "../tools/define.js";

export type ConfirmMode = "auto" | "always" | "never";
export const CONFIRM_MODES: readonly ConfirmMode[] = ["auto", "always", "never"];

/** The question for this call, or undefined when the call needs none. */
export function confirmationQuestion(
  targets: ToolTargets | undefined,
  args: ToolArguments,
): string | undefined {
  const confirm = targets?.confirm;
  if (confirm === undefined) {
    return undefined;
  }
  if (confirm.when !== undefined && args[confirm.when.argument] !== confirm.when.equals) {
    return undefined;
  }
  return renderQuestion(confirm.message, args);
}

/** `{argument}` → its value; `[segment]` kept only when every argument in it was given. */
export function renderQuestion(template: string, args: ToolArguments): string {
  const fill = (text: string) => text.replace(/\{([a-z_]+)\}/g, (_, name: string) => shown(args[name]));
  return fill(
    template.replace(/\[([^\]]*)\]/g, (_, segment: string) => {
      const names = [...segment.matchAll(/\{([a-z_]+)\}/g)].map((m) => m[1] as string);
      return names.every((name) => args[name] !== undefined) ? segment : "";
    }),
  );
}

function shown(value: unknown): string {
  if (typeof value === "string") {
    return value;
  }
  return value === undefined ? "" : JSON.stringify(value);
}

/** What the server handler needs to know about the request it is answering. */
export interface ConfirmationContext {
  /** The client declared it can show a form to the person (elicitation capability). */
  readonly canAsk: boolean;
  /** `ctx.mcpReq.inputResponses` of a retried request. */
  readonly inputResponses: Record<string, unknown> | undefined;
  /** The verified requestState of a retried request (see `confirmationState`). */
  readonly state: ConfirmationState | undefined;
}

export interface ConfirmationState {
  readonly tool: string;
  readonly digest: string;
}

const KEY = "confirm";
const SCHEMA: {
  type: "object";
  properties: Record<string, { type: "boolean"; title: string; description: string }>;
  required: string[];
} = {
  type: "object",
  properties: {
    confirm: { type: "boolean", title: "Go ahead", description: "Yes: do it. No: nothing is sent." },
  },
  required: ["confirm"],
};

/**
 * The request-state codec binding a confirmation to one call. Server instances are made per request on
 * HTTP, so the codec outlives them: by default one per process, whose rounds are then answered by this
 * process (replicas behind a load balancer need a key they share).
 */
export function confirmationCodec(key: Uint8Array = randomBytes(32)): RequestStateCodec<ConfirmationState> {
  return createRequestStateCodec<ConfirmationState>({ key, ttlSeconds: 600 });
}

let processCodec: RequestStateCodec<ConfirmationState> | undefined;

/** This process's codec, made on first use. */
export function processConfirmationCodec(): RequestStateCodec<ConfirmationState> {
  processCodec ??= confirmationCodec();
  return processCodec;
}

export type ConfirmationOutcome =
  /** Go ahead: the person said yes to this call, or no question is needed or possible (auto). */
  | { readonly kind: "proceed"; readonly confirmed: boolean }
  /** Return this result to the client now (the question, or the refusal). */
  | { readonly kind: "answer"; readonly result: CallToolResult };

/**
 * Decides what happens before a call that may need confirmation. `question` comes from the tool's
 * targets; `mode` from --confirm.
 */
export async function confirmCall(
  tool: string,
  args: ToolArguments,
  question: string | undefined,
  mode: ConfirmMode,
  context: ConfirmationContext,
  codec: RequestStateCodec<ConfirmationState>,
): Promise<ConfirmationOutcome> {
  if (question === undefined || mode === "never") {
    return { kind: "proceed", confirmed: false };
  }
  const digest = digestOf(tool, args);
  const answered = inputResponse(context.inputResponses, KEY);
  const forThisCall = context.state?.tool === tool && context.state.digest === digest;
  if (answered.kind === "elicit" && forThisCall) {
    const content = acceptedContent<{ confirm?: unknown }>(context.inputResponses, KEY);
    if (answered.action === "accept" && content?.confirm === true) {
      return { kind: "proceed", confirmed: true };
    }
    throw new PolicyError(
      `the person did not confirm (${answered.action === "accept" ? "answered no" : answered.action}): ${question} ` +
        "Nothing was sent",
    );
  }
  if (!context.canAsk) {
    if (mode === "auto") {
      return { kind: "proceed", confirmed: false };
    }
    throw new PolicyError(
      `this server asks the person before destructive actions (--confirm always), and this client cannot ask ` +
        `(it declares no elicitation support). Not done: ${question}`,
    );
  }
  return {
    kind: "answer",
    result: inputRequired({
      inputRequests: { [KEY]: inputRequired.elicit({ message: question, requestedSchema: SCHEMA }) },
      requestState: await codec.mint({ tool, digest }),
    }) as unknown as CallToolResult,
  };
}

/** A digest of the call, so a yes given for one room never confirms another. */
function digestOf(tool: string, args: ToolArguments): string {
  return createHash("sha256")
    .update(JSON.stringify([tool, canonical(args)]))
    .digest("base64url");
}

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) {
    return value.map(canonical);
  }
  if (typeof value === "object" && value !== null) {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((key) => [key, canonical((value as Record<string, unknown>)[key])]),
    );
  }
  return value;
}
