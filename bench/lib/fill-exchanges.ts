import Database from "better-sqlite3";
import { createStore } from "../../src/store/create-store.js";
import type { NewExchange } from "../../src/store/store.js";

/** `count` p2p conversations with chat ids `${prefix}0…`, each holding `turns` exchanges. */
export interface ConversationGroup {
  prefix: string;
  count: number;
  turns: number;
}

export const FILL_BOT_ID = "default";

const ANSWER_TEXT =
  "Here is a summary of the figures you asked about. Revenue grew in every region except the north, where two large contracts moved into the next quarter. Costs stayed flat; headcount rose by four. The full table is in the shared folder, and I can break it down by product line if that helps. ";

/** The conversation key the gateway derives for a p2p chat (conversation/conversation-key.ts). */
export function p2pKey(chatId: string): string {
  return `p2p:${chatId}`;
}

function exchange(chatId: string, n: number): NewExchange {
  return {
    botId: FILL_BOT_ID,
    conversationKey: p2pKey(chatId),
    generation: 1,
    chatId,
    senderOpenId: `ou_${chatId}`,
    messageId: `om_fill_${n}`,
    question: `Question ${n}: how did the quarterly figures for this team turn out?`,
    answer: ANSWER_TEXT.slice(0, 120 + (n % 160)),
    model: "fake-model",
    promptTokens: 300,
    completionTokens: 80,
    latencyMs: 900 + (n % 400),
    status: "done",
  };
}

/** xorshift32: a fixed, seeded order, so every run stores the same interleaving. */
function shuffle(values: Int32Array, seed = 0x9e3779b9): void {
  let state = seed >>> 0 || 1;
  for (let i = values.length - 1; i > 0; i--) {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    const j = state % (i + 1);
    const swap = values[i]!;
    values[i] = values[j]!;
    values[j] = swap;
  }
}

/**
 * Fills a SQLite store with conversations, their turns interleaved in time as in real use.
 * The schema comes from `createStore` (migrations) and the first exchange goes through the
 * Store; the rest are prepared inserts of the same columns in large transactions.
 * Returns how many exchanges the store holds and how long filling took.
 */
export async function fillExchanges(
  path: string,
  groups: ConversationGroup[],
): Promise<{ exchanges: number; seconds: number }> {
  const started = performance.now();
  const chats: string[] = [];
  const turns: number[] = [];
  for (const group of groups) {
    for (let i = 0; i < group.count; i++) {
      chats.push(`${group.prefix}${i}`);
      turns.push(group.turns);
    }
  }
  const total = turns.reduce((a, b) => a + b, 0);
  const order = new Int32Array(total);
  let cursor = 0;
  for (let c = 0; c < chats.length; c++) {
    order.fill(c, cursor, cursor + turns[c]!);
    cursor += turns[c]!;
  }
  shuffle(order);

  const baseTime = Date.now() - total * 1000;
  const store = await createStore(`sqlite:${path}`);
  try {
    await store.recordExchange(exchange(chats[order[0]!]!, 0), baseTime);
  } finally {
    await store.close();
  }

  const db = new Database(path);
  try {
    db.pragma("journal_mode = WAL");
    // Only this filling connection skips fsync; the gateway opens the file with its own settings.
    db.pragma("synchronous = OFF");
    const insert = db.prepare(
      `insert into exchanges (bot_id, conversation_key, generation, chat_id, sender_open_id,
        message_id, question, answer, reasoning, model, prompt_tokens, completion_tokens,
        latency_ms, error, status, answer_message_id, in_history, created_at)
       values (?, ?, ?, ?, ?, ?, ?, ?, null, ?, ?, ?, ?, null, ?, null, 1, ?)`,
    );
    const batch = db.transaction((from: number, to: number) => {
      for (let n = from; n < to; n++) {
        const e = exchange(chats[order[n]!]!, n);
        insert.run(
          e.botId,
          e.conversationKey,
          e.generation,
          e.chatId,
          e.senderOpenId,
          e.messageId,
          e.question,
          e.answer,
          e.model,
          e.promptTokens,
          e.completionTokens,
          e.latencyMs,
          e.status,
          baseTime + n * 1000,
        );
      }
    });
    for (let from = 1; from < total; from += 100_000) batch(from, Math.min(total, from + 100_000));
    db.pragma("wal_checkpoint(TRUNCATE)");
  } finally {
    db.close();
  }
  return { exchanges: total, seconds: Math.round((performance.now() - started) / 100) / 10 };
}
