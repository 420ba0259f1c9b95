/**
 * The shared event store: one Redis stream for every replica (`REDIS_URL`).
 *
 * - `append` runs one script: the event id is claimed (`SET NX EX`, the dedupe window is the retention) and
 *   the event added to the stream in the same step, then the stream is trimmed by length and age. A
 *   retried delivery finds the claim and stores nothing; a failed append claims nothing, so the vendor's
 *   retry (we answer 5xx) stores it then.
 * - `subscribe` is fed by one blocking reader per process (`XREAD BLOCK` on its own connection, from the
 *   newest id it has seen), so a webhook that reached any replica wakes the waits on every replica.
 */
import { createClient, type RedisClientType } from "@redis/client";
import { log } from "../log.js";
import { type Position, type RoomEvent, START, type StoredEvent } from "./event.js";
import { DEFAULT_RETENTION, type EventStore, type Retention } from "./store.js";

const APPEND = `
if redis.call('SET', KEYS[2], '1', 'NX', 'EX', ARGV[2]) then
  local id = redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[3], '*', 'e', ARGV[1])
  redis.call('XTRIM', KEYS[1], 'MINID', '~', ARGV[4])
  return id
end
return false
`;

/** How long one blocking read waits before it is issued again (and notices a close). */
const BLOCK_MS = 2_000;
const READ_BATCH = 200;

export interface RedisStoreOptions {
  readonly url: string;
  readonly retention?: Retention;
  /** Key prefix, so deployments can share one Redis. */
  readonly prefix?: string;
}

type StreamEntry = [string, string[]];
/** XREAD's reply: a map of stream → entries (RESP3), an array of [stream, entries] pairs (RESP2), or null. */
type XReadReply = Record<string, StreamEntry[]> | [string, StreamEntry[]][] | null;

function entriesOf(reply: XReadReply, stream: string): StreamEntry[] {
  if (reply === null) {
    return [];
  }
  if (Array.isArray(reply)) {
    return reply.find(([name]) => name === stream)?.[1] ?? [];
  }
  return reply[stream] ?? [];
}

/** How long one connection attempt may take, and how many a start-up makes before giving up. */
const CONNECT_TIMEOUT_MS = 3_000;
const START_ATTEMPTS = 3;

export async function redisEventStore(options: RedisStoreOptions): Promise<EventStore> {
  const retention = options.retention ?? DEFAULT_RETENTION;
  const prefix = options.prefix ?? "rooms-mcp";
  const stream = `${prefix}:events`;
  // At start-up a Redis that cannot be reached is an error the operator sees; once connected, a lost
  // connection is retried for as long as it takes (appends fail meanwhile, and vendors deliver again).
  let connected = false;
  const socket = {
    connectTimeout: CONNECT_TIMEOUT_MS,
    reconnectStrategy: (retries: number, cause: Error) =>
      !connected && retries >= START_ATTEMPTS ? cause : Math.min(100 * 2 ** retries, 2_000),
  };
  const client = createClient({ url: options.url, socket }) as RedisClientType;
  client.on("error", (error: Error) => log("warn", "redis error", { error: error.message }));
  await client.connect();
  connected = true;
  const reader = client.duplicate();
  reader.on("error", (error: Error) => log("warn", "redis reader error", { error: error.message }));
  const listeners = new Set<(event: StoredEvent) => void>();
  let closed = false;
  /** The reader, once started: resolves when it has its starting id (later events all reach listeners). */
  let started: Promise<void> | undefined;
  let loop: Promise<void> | undefined;

  const decode = ([position, fields]: StreamEntry): StoredEvent | undefined => {
    const at = fields.indexOf("e");
    const json = at >= 0 ? fields[at + 1] : undefined;
    try {
      return json === undefined ? undefined : { ...(JSON.parse(json) as RoomEvent), position };
    } catch {
      return undefined; // not ours: another writer shares the key
    }
  };

  const latest = async (): Promise<Position> => {
    const last = (await client.sendCommand(["XREVRANGE", stream, "+", "-", "COUNT", "1"])) as StreamEntry[];
    return last[0]?.[0] ?? START;
  };

  const readLoop = async (from: Position): Promise<void> => {
    let after = from;
    while (!closed) {
      try {
        const reply = (await reader.sendCommand([
          "XREAD",
          "COUNT",
          String(READ_BATCH),
          "BLOCK",
          String(BLOCK_MS),
          "STREAMS",
          stream,
          after,
        ])) as XReadReply;
        for (const entry of entriesOf(reply, stream)) {
          after = entry[0];
          const event = decode(entry);
          if (event !== undefined) {
            for (const listener of listeners) {
              listener(event);
            }
          }
        }
      } catch (error) {
        if (closed) {
          return;
        }
        log("warn", "redis event reader: retrying", { error: (error as Error).message });
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
    }
  };

  return {
    kind: "redis",
    async append(event: RoomEvent) {
      const minId = `${Date.now() - retention.maxAgeSeconds * 1000}-0`;
      const id = await client.sendCommand([
        "EVAL",
        APPEND,
        "2",
        stream,
        `${prefix}:seen:${event.provider}:${event.id}`,
        JSON.stringify(event),
        String(retention.maxAgeSeconds),
        String(retention.maxEvents),
        minId,
      ]);
      return { stored: typeof id === "string" };
    },
    async read(after: Position, limit: number) {
      const entries = (await client.sendCommand([
        "XRANGE",
        stream,
        `(${after}`,
        "+",
        "COUNT",
        String(limit),
      ])) as StreamEntry[];
      return entries.map(decode).filter((e): e is StoredEvent => e !== undefined);
    },
    latest,
    async newest(count: number) {
      const entries = (await client.sendCommand([
        "XREVRANGE",
        stream,
        "+",
        "-",
        "COUNT",
        String(count),
      ])) as StreamEntry[];
      return entries
        .reverse()
        .map(decode)
        .filter((e): e is StoredEvent => e !== undefined);
    },
    async subscribe(listener) {
      listeners.add(listener);
      started ??= (async () => {
        await reader.connect();
        const from = await latest();
        loop = readLoop(from);
      })();
      await started;
      return () => listeners.delete(listener);
    },
    async close() {
      closed = true;
      listeners.clear();
      await Promise.allSettled([client.close(), reader.isOpen ? reader.destroy() : Promise.resolve()]);
      await loop?.catch(() => undefined);
    },
  };
}
