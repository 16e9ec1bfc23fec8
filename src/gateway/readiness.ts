import type { ReadinessCheck } from "../server/metrics-routes.js";
import type { Store } from "../store/store.js";
import type { BotRegistry } from "./bot-registry.js";
import type { createLongConnections } from "./long-connections.js";

/** A database that takes longer than this to answer `select 1` counts as down. */
const STORE_TIMEOUT_MS = 2_000;

/**
 * What `/readyz` checks: the store answers (migrations ran before anything started), each
 * bot's credentials were not refused on its last Lark call, and each long connection is up.
 */
export function readinessChecks(parts: {
  store: Store;
  bots: BotRegistry;
  connections: ReturnType<typeof createLongConnections>;
}) {
  return async (): Promise<Record<string, ReadinessCheck>> => {
    const checks: Record<string, ReadinessCheck> = { store: await storeCheck(parts.store) };
    const connections = parts.connections.status();
    for (const bot of parts.bots.all()) {
      const id = bot.config.id;
      const credentials = bot.api.credentials();
      checks[`bot ${id}: credentials`] = credentials.ok
        ? { ok: true }
        : { ok: false, reason: `Lark refused the app's credentials: ${credentials.reason}` };
      if (bot.config.eventMode === "websocket") {
        const status = connections[id];
        checks[`bot ${id}: long connection`] =
          status?.state === "connected"
            ? { ok: true }
            : {
                ok: false,
                reason: `the long connection is ${status?.state ?? "not opened"}${status?.lastError ? ` (${status.lastError})` : ""}`,
              };
      }
    }
    return checks;
  };
}

async function storeCheck(store: Store): Promise<ReadinessCheck> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      store.ping(),
      new Promise((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`no answer within ${STORE_TIMEOUT_MS / 1000} s`)),
          STORE_TIMEOUT_MS,
        );
      }),
    ]);
    return { ok: true };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { ok: false, reason: `the ${store.dialect} database does not answer: ${message}` };
  } finally {
    clearTimeout(timer);
  }
}
