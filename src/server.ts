/**
 * Server assembly: registers served tools on an MCP server (listed as their listing says, bound on their
 * first call) and maps every outcome to a tool result.
 *
 * Success → `structuredContent` (matching the tool's outputSchema) plus one compact JSON text block.
 * Failure of any kind → `isError: true` with one text block an agent can act on. Nothing a tool does can
 * crash the process or surface as a JSON-RPC error, and configured secrets are scrubbed from every text.
 */
import {
  type CallToolResult,
  CLIENT_CAPABILITIES_META_KEY,
  CLIENT_INFO_META_KEY,
  type ClientCapabilities,
  fromJsonSchema,
  type Implementation,
  type jsonSchemaValidator,
  McpServer,
  type RequestStateCodec,
  type ServerContext,
} from "@modelcontextprotocol/server";
import { createArgumentValidator, createResultValidator } from "./argument-validator.js";
import { type AuditLog, type AuditRecord, auditedArguments, auditTarget } from "./control/audit.js";
import {
  type ConfirmationState,
  type ConfirmMode,
  confirmationQuestion,
  confirmCall,
  processConfirmationCodec,
} from "./control/confirm.js";
import { isArgumentError, isNotConfiguredError, isPolicyError, isUpstreamError } from "./errors.js";
import type { EventAccess } from "./events/access.js";
import {
  advertiseEventResourceUpdates,
  notifyEventResourceUpdates,
  registerEventResources,
} from "./events/resources.js";
import { log } from "./log.js";
import { descriptorById } from "./providers/catalog.js";
import type { ProviderId } from "./providers/provider.js";
import { oversizedResult } from "./result-size.js";
import { createSecretScrubber, type SecretScrubber } from "./secrets.js";
import { fitToBudget, maxResultBytes } from "./tools/budget.js";
import type { BoundTool, CallContext, ServedTool, ToolArguments } from "./tools/define.js";

export interface ServerInfo {
  readonly name: string;
  readonly version: string;
}

const UNAUDITED: AuditLog = { destination: "nowhere", begin: () => ({ write: () => undefined }) };

/** How calls are guarded: confirmations before destructive actions, and where audit lines go. */
export interface CallControl {
  readonly confirm: ConfirmMode;
  readonly audit: AuditLog;
  /** Signs confirmation rounds; default: this process's own key (HTTP replicas pass a shared one). */
  readonly codec?: RequestStateCodec<ConfirmationState>;
  /** Validates arguments; default: one per server (HTTP mode shares one across per-request servers). */
  readonly validator?: jsonSchemaValidator;
  /** Validates results against output schemas; default: one per server (HTTP mode shares one too). */
  readonly resultValidator?: jsonSchemaValidator;
  /** The event store the event tools read (absent: they say no webhooks reach this server). */
  readonly events?: EventAccess | undefined;
  /** The operator's room scope, for what is served besides tools (the rooms' event resources). */
  readonly roomAllowed?: ((name: string) => boolean) | undefined;
  /**
   * This instance lives for a connection (stdio): it notifies its client of updated event resources. HTTP
   * instances live for one request; the HTTP server notifies open listen streams itself.
   */
  readonly notifyResourceUpdates?: boolean;
}

/**
 * Builds one MCP server instance. `secrets` are credential values that must never appear in a result, even
 * if an upstream echoes them back.
 */
export function createRoomsServer(
  info: ServerInfo,
  tools: readonly ServedTool[],
  secrets: readonly string[] = [],
  control?: CallControl,
): McpServer {
  const scrub = createSecretScrubber(secrets);
  // Without control (tests, the tool-surface listing) calls are not audited; the CLI always passes it.
  const { confirm, audit } = control ?? { confirm: "auto", audit: UNAUDITED };
  const codec = control?.codec ?? processConfirmationCodec();
  const server = new McpServer(
    { name: info.name, version: info.version },
    {
      capabilities: { tools: {} },
      instructions:
        "Tools operate live rooms on real servers. Read-only tools are safe to call freely; tools marked destructive " +
        "disconnect people or end sessions, so confirm the target (room, identity) first.",
      // A confirmation's answer comes back with the state minted when it was asked, verified here.
      requestState: { verify: codec.verify },
    },
  );
  const validator = control?.validator ?? createArgumentValidator();
  const resultValidator = control?.resultValidator ?? createResultValidator();
  const budget = maxResultBytes();
  for (const tool of tools) {
    server.registerTool(
      tool.name,
      {
        title: tool.title,
        description: tool.description,
        inputSchema: fromJsonSchema<ToolArguments>(tool.inputSchema, validator),
        outputSchema: fromJsonSchema<Record<string, unknown>>(tool.outputSchema, resultValidator),
        // The title is the tool's own (top level); repeating it in the annotations only lengthens tools/list.
        annotations: tool.annotations,
      },
      async (args, ctx) => {
        const started = Date.now();
        const changesState = !tool.annotations.readOnlyHint;
        let confirmed = false;
        let record: AuditRecord | undefined;
        const finish = (outcome: "ok" | "error" | "refused", error?: unknown) => {
          if (!changesState) {
            return;
          }
          record ??= audit.begin();
          const reason = typeof args.reason === "string" ? { reason: args.reason } : {};
          record.write({
            time: new Date(started).toISOString(),
            client: clientOf(server, ctx),
            tool: tool.name,
            provider: tool.provider,
            target: auditTarget(tool.targets, args),
            arguments: auditedArguments(tool.targets, args),
            outcome,
            ...(error === undefined ? {} : { code: outcomeOf(error) }),
            confirmed,
            duration_ms: Date.now() - started,
            ...reason,
          });
        };
        try {
          const question = confirmationQuestion(tool.targets, args);
          const decided = await confirmCall(
            tool.name,
            args,
            question,
            confirm,
            confirmationContext(server, ctx),
            codec,
          );
          if (decided.kind === "answer") {
            return decided.result;
          }
          confirmed = decided.confirmed;
          // Opened before the call acts: a log that cannot be written stops the call here.
          record = changesState ? audit.begin() : undefined;
          const bound = await tool.bind();
          const result = await bound.invoke(args, ctx.mcpReq.signal, callContext(ctx, control?.events));
          log("info", "tool call", { tool: tool.name, outcome: "ok", ms: Date.now() - started });
          try {
            finish("ok");
          } catch (error) {
            // The call has acted: saying it failed would invite a repeat. Say it took effect, and what is wrong.
            const why = error instanceof Error ? error.message : String(error);
            log("error", "audit line not written after the call acted", { tool: tool.name, error: why });
            const text =
              `${tool.name} took effect, but its audit line could not be written to ${audit.destination} ` +
              `(${why}): do not repeat the call; tell the operator, who should fix the audit log first.`;
            return { content: [{ type: "text", text: scrub.text(text) }], isError: true };
          }
          return successResult(result, scrub, bound, budget);
        } catch (error) {
          log("info", "tool call", { tool: tool.name, outcome: outcomeOf(error), ms: Date.now() - started });
          try {
            finish(isPolicyError(error) ? "refused" : "error", error);
          } catch {
            // The refusal already says the audit log cannot be written; nothing acted.
          }
          return errorResult(error, tool.name, scrub);
        }
      },
    );
  }
  if (control?.events !== undefined) {
    // A room's recent events as resources, for the providers whose event tools are served.
    const providers = [
      ...new Set(tools.filter((t) => t.baseName === "list_events").map((t) => t.provider as ProviderId)),
    ];
    registerEventResources(
      server,
      control.events,
      providers.map((id) => ({ id, displayName: descriptorById(id).displayName })),
      control.roomAllowed,
    );
    if (providers.length > 0) {
      const perConnection = control.notifyResourceUpdates === true;
      advertiseEventResourceUpdates(server, perConnection);
      if (perConnection) {
        notifyEventResourceUpdates(server, control.events, new Set(providers), control.roomAllowed);
      }
    }
  }
  return server;
}

/** What a call is told besides its arguments: the event store, and a progress reporter if the client asked. */
function callContext(ctx: ServerContext, events: EventAccess | undefined): CallContext {
  const progressToken = ctx.mcpReq._meta?.progressToken;
  const progress =
    progressToken === undefined
      ? undefined
      : (progress: number, total: number, message: string) => {
          // A client that went away cannot be told; the call goes on until its own end.
          ctx.mcpReq
            .notify({ method: "notifications/progress", params: { progressToken, progress, total, message } })
            .catch(() => undefined);
        };
  return { ...(events === undefined ? {} : { events }), ...(progress === undefined ? {} : { progress }) };
}

/** The calling client's name and version: per request (2026-07-28) or from its initialize (2025 era). */
function clientOf(server: McpServer, ctx: ServerContext): { name?: string; version?: string } {
  const envelope = ctx.mcpReq.envelope as Record<string, unknown> | undefined;
  const info =
    (envelope?.[CLIENT_INFO_META_KEY] as Implementation | undefined) ?? server.server.getClientVersion();
  return info === undefined ? {} : { name: info.name, version: info.version };
}

function confirmationContext(server: McpServer, ctx: ServerContext) {
  const envelope = ctx.mcpReq.envelope as Record<string, unknown> | undefined;
  const capabilities =
    (envelope?.[CLIENT_CAPABILITIES_META_KEY] as ClientCapabilities | undefined) ??
    server.server.getClientCapabilities();
  return {
    canAsk: capabilities?.elicitation !== undefined,
    inputResponses: ctx.mcpReq.inputResponses,
    state: ctx.mcpReq.requestState<ConfirmationState>(),
  };
}

/** Secrets are scrubbed value by value (so the JSON stays whole); a result no client could read is refused. */
function successResult(
  result: Record<string, unknown>,
  scrub: SecretScrubber,
  tool: BoundTool,
  budget: number,
): CallToolResult {
  // The one credential a tool exists to hand out (a join token it minted) passes; every other token is scrubbed.
  const handout = tool.handsOut === undefined ? undefined : result[tool.handsOut];
  const keep = typeof handout === "string" ? handout : undefined;
  const raw = JSON.stringify(result);
  // Most results hold nothing to scrub, which one look at their text tells; the others are scrubbed value by
  // value, so the JSON stays whole.
  const clean = scrub.clean(raw, keep);
  const scrubbed = clean ? result : scrub.value(result, keep);
  // Cut to the result budget (budget.ts) after scrubbing, so the text sent is what was measured.
  const structuredContent = fitToBudget(scrubbed, tool.outputSchema, budget, clean ? raw : undefined);
  const text = structuredContent === result ? raw : JSON.stringify(structuredContent);
  const refusal =
    oversizedResult(text, tool.name, tool.inputSchema) ??
    // Only a secret spanning two values (by coincidence of the serialisation) survives value scrubbing.
    (structuredContent === result || scrub.text(text, keep) === text
      ? undefined
      : `The result of ${tool.name} was withheld: it held a configured secret.`);
  if (refusal !== undefined) {
    return { content: [{ type: "text", text: refusal }], isError: true };
  }
  return { content: [{ type: "text", text }], structuredContent };
}

function errorResult(error: unknown, toolName: string, scrub: SecretScrubber): CallToolResult {
  return { content: [{ type: "text", text: scrub.text(describeError(error, toolName)) }], isError: true };
}

/** One message per failure, saying what failed, the vendor's own code and words, and what to do. */
export function describeError(error: unknown, toolName: string): string {
  if (isArgumentError(error)) {
    return `Invalid argument "${error.argument}": ${sentence(error.message)}`;
  }
  if (isPolicyError(error)) {
    return `Not allowed: ${sentence(error.message)}`;
  }
  if (isNotConfiguredError(error)) {
    return `Not available here: ${sentence(error.message)}`;
  }
  if (isUpstreamError(error)) {
    const status = error.status === undefined ? "" : ` (HTTP ${error.status})`;
    // raw_message only repeats the message with LiveKit's "twirp error unknown: " prefix still on.
    const { raw_message: _, ...shown } = error.details;
    const details = Object.keys(shown).length === 0 ? "" : ` Details: ${JSON.stringify(shown)}.`;
    const hint = error.hint === undefined ? "" : ` ${error.hint}`;
    return `${descriptorById(error.provider).displayName} error ${error.code}${status}: ${sentence(error.message)}${details}${hint}`;
  }
  // A bug of ours, not the caller's: say so, and log it for the operator.
  log("error", "tool failed unexpectedly", {
    tool: toolName,
    error: error instanceof Error ? (error.stack ?? error.message) : String(error),
  });
  return `Internal error in ${toolName}: ${error instanceof Error ? error.message : String(error)}`;
}

function sentence(text: string): string {
  const trimmed = text.trimEnd();
  return /[.!?]$/.test(trimmed) ? trimmed : `${trimmed}.`;
}

function outcomeOf(error: unknown): string {
  if (isUpstreamError(error)) {
    return `${error.provider}:${error.code}`;
  }
  if (isArgumentError(error)) {
    return "invalid_argument";
  }
  if (isPolicyError(error)) {
    return "refused";
  }
  if (isNotConfiguredError(error)) {
    return "not_configured";
  }
  return "internal";
}
