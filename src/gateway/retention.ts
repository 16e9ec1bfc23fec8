import type { GatewayConfig } from "../config/config.js";
import { PENDING_FILE_TTL_MS } from "../conversation/files-pending.js";
import { DEDUP_RETENTION_MS } from "../intake/dedup-keys.js";
import type { Store } from "../store/store.js";

const DAY_MS = 24 * 60 * 60 * 1000;
/**
 * A file a question took is kept this long so Regenerate can send it again; past it, Lark
 * may no longer serve the message's resource either, and Regenerate answers without it.
 */
export const TAKEN_FILE_RETENTION_MS = 30 * DAY_MS;

/** What one prune removed (or, dry, would remove). */
export interface PruneReport {
  dedupKeys: number;
  jobs: number;
  /** File rows: waiting ones past their 30 minutes, taken ones past TAKEN_FILE_RETENTION_MS. */
  pendingFiles: number;
  /** Workflow pauses that expired past the dedup window. */
  pauses: number;
  /** Exchanges by whose retention removed them: a bot id, or `*` for the gateway's own. */
  exchanges: Record<string, number>;
}

/**
 * One pass of upkeep: dedup keys, finished jobs and expired workflow pauses past the dedup
 * window, expired file rows, and each bot's chat
 * log past its retention (`chatLogRetentionDays` of the bot, else the gateway's; 0 keeps it).
 * Exchanges of bots no longer configured follow the gateway's retention.
 */
export async function pruneOnce(
  store: Store,
  config: Pick<GatewayConfig, "chatLogRetentionDays" | "bots">,
  options: { dryRun?: boolean; now?: number } = {},
): Promise<PruneReport> {
  const now = options.now ?? Date.now();
  const dryRun = options.dryRun === true;
  const queue = await store.prune(now - DEDUP_RETENTION_MS, { dryRun });
  const pendingFiles = await store.prunePendingFiles(
    now - PENDING_FILE_TTL_MS,
    now - TAKEN_FILE_RETENTION_MS,
    { dryRun },
  );
  const pauses = await store.prunePauses(now - DEDUP_RETENTION_MS, { dryRun });
  const exchanges: Record<string, number> = {};
  const own = config.bots.filter((bot) => bot.chatLogRetentionDays !== undefined);
  for (const bot of own) {
    const days = bot.chatLogRetentionDays!;
    if (days === 0) continue;
    exchanges[bot.id] = await store.pruneChatLog(now - days * DAY_MS, {
      onlyBots: [bot.id],
      dryRun,
    });
  }
  if (config.chatLogRetentionDays > 0) {
    exchanges["*"] = await store.pruneChatLog(now - config.chatLogRetentionDays * DAY_MS, {
      exceptBots: own.map((bot) => bot.id),
      dryRun,
    });
  }
  return { ...queue, pendingFiles, pauses, exchanges };
}
