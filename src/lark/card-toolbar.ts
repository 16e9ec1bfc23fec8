import type { Logger } from "pino";
import type { RunningAnswers } from "../conversation/running-answers.js";
import type { Intake } from "../intake/intake.js";
import type { Store } from "../store/store.js";
import type { CardResponse } from "./handle-envelope.js";
import type { CardAction } from "./inbound/card-action.js";
import type { ToolbarValue } from "./outbound/answer-card.js";

export interface CardToolbarOptions {
  store: Store;
  intake: Intake;
  running: RunningAnswers;
  logger: Logger;
  /**
   * Asks every replica to stop this answer (PostgreSQL deployments); the local abort is
   * always tried first.
   */
  broadcastStop?: (botId: string, messageId: string) => Promise<void>;
}

function toast(type: "info" | "success" | "warning" | "error", content: string): CardResponse {
  return { toast: { type, content } };
}

function parseValue(value: Record<string, unknown>): ToolbarValue | undefined {
  const { a, m, k } = value;
  if (a !== "stop" && a !== "regenerate" && a !== "new_chat") return undefined;
  if (typeof m !== "string" || typeof k !== "string" || !m || !k) return undefined;
  return { a, m, k };
}

/**
 * In an ordinary group every member has their own conversation (`group:<chat>:<sender>`):
 * only that member may stop, regenerate or reset it. p2p chats and topic threads are shared.
 */
export function mayAct(conversationKey: string, operatorOpenId: string): boolean {
  if (!conversationKey.startsWith("group:")) return true;
  return conversationKey.endsWith(`:${operatorOpenId}`);
}

/**
 * The answer toolbar (Stop / Regenerate / New chat). Lark wants the callback answered within
 * 3 s with a toast; anything slow (a regenerated answer) becomes a durable job.
 */
export function createCardToolbar(options: CardToolbarOptions) {
  return async function onCardAction(botId: string, action: CardAction): Promise<CardResponse> {
    const value = parseValue(action.value);
    const log = options.logger.child({
      botId,
      eventId: action.eventId,
      operator: action.operatorOpenId,
    });
    if (!value) {
      log.debug("card action that is not ours; acknowledged");
      return {};
    }
    if (!mayAct(value.k, action.operatorOpenId)) {
      log.info({ action: value.a }, "toolbar press by someone else refused");
      return toast(
        "info",
        "This answer belongs to someone else's conversation, so only they can use these buttons.",
      );
    }
    switch (value.a) {
      case "stop": {
        const stoppedHere = options.running.stop(botId, value.m);
        if (!stoppedHere && options.broadcastStop) await options.broadcastStop(botId, value.m);
        log.info({ local: stoppedHere }, "stop requested");
        return toast("info", "Stopping the answer…");
      }
      case "new_chat": {
        await options.store.resetConversation(botId, value.k);
        log.info("conversation reset from the toolbar");
        return toast("success", "New conversation started. Earlier messages are forgotten.");
      }
      case "regenerate": {
        const outcome = await options.intake.acceptCardAction(
          { ...action, value: { ...action.value } },
          value.k,
        );
        log.info({ outcome }, "regenerate requested");
        return outcome === "duplicate" ? {} : toast("info", "Regenerating the answer…");
      }
    }
  };
}
