import type { Store } from "../store/store.js";
import type { UsageFigures } from "./command-cards.js";

/**
 * What `/usage` shows, from the chat log (the billing API Feishu-OpenAI called is gone for
 * most keys). Days and months are the gateway's local time: set `TZ` (e.g. Asia/Shanghai)
 * where the server clock is UTC.
 */
export async function usageFigures(
  store: Store,
  who: { botId: string; conversationKey: string; senderOpenId: string },
  now = new Date(),
): Promise<UsageFigures> {
  const day = new Date(now.getFullYear(), now.getMonth(), now.getDate()).getTime();
  const month = new Date(now.getFullYear(), now.getMonth(), 1).getTime();
  const { botId } = who;
  const [conversationToday, youToday, youMonth, botToday, botMonth] = await Promise.all([
    store.usage({ botId, since: day, conversationKey: who.conversationKey }),
    store.usage({ botId, since: day, senderOpenId: who.senderOpenId }),
    store.usage({ botId, since: month, senderOpenId: who.senderOpenId }),
    store.usage({ botId, since: day }),
    store.usage({ botId, since: month }),
  ]);
  return { conversationToday, youToday, youMonth, botToday, botMonth };
}
