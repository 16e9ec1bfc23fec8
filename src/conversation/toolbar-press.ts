import type { Logger } from "pino";
import { translator } from "../i18n/translate.js";
import { eventKey } from "../intake/dedup-keys.js";
import type { Intake } from "../intake/intake.js";
import type { CardAction, CardActionReply } from "../messages/card-action.js";
import { forOperator, mayActOn } from "../messages/conversation-key.js";
import { decodeToolbarValue } from "../messages/toolbar-action.js";
import type { Store } from "../store/store.js";
import type { BotRuntime } from "./bot-runtime.js";
import { pressCommandButton } from "./command-press.js";
import { PICTURE_JOB, type PicturePayload } from "./jobs/picture-job.js";
import { REGENERATE_JOB, type RegeneratePayload } from "./jobs/regenerate-job.js";
import { pressPause } from "./pause-press.js";
import type { RunningAnswers } from "./running-answers.js";

export interface ToolbarPressOptions {
  store: Store;
  intake: Intake;
  running: RunningAnswers;
  logger: Logger;
  /** The bot's current runtime (its language, commands, roles, apps). */
  bot: (botId: string) => BotRuntime | undefined;
  /**
   * Asks every replica to stop this answer (PostgreSQL deployments); the local abort is
   * always tried first.
   */
  broadcastStop?: (botId: string, messageId: string) => Promise<void>;
}

function toast(
  type: NonNullable<CardActionReply["toast"]>["type"],
  content: string,
): CardActionReply {
  return { toast: { type, content } };
}

/**
 * The buttons of our cards: the answer's toolbar (Stop / Regenerate / New chat) and the
 * command cards. The channel wants a press answered within 3 s with a toast (and maybe the
 * card that replaces the pressed one); anything slow (a regenerated answer) becomes a job.
 */
export function createToolbarPress(options: ToolbarPressOptions) {
  return async function onToolbarPress(botId: string, press: CardAction): Promise<CardActionReply> {
    const decoded = decodeToolbarValue(press.value);
    // A button of a card sent to a whole group acts on the presser's own conversation.
    const action = decoded && {
      ...decoded,
      conversationKey: forOperator(decoded.conversationKey, press.operatorOpenId),
    };
    const bot = options.bot(botId);
    const say = translator(bot?.language ?? "en");
    const log = options.logger.child({
      botId,
      eventId: press.eventId,
      operator: press.operatorOpenId,
    });
    if (!action || !bot) {
      log.debug("card action that is not ours; acknowledged");
      return {};
    }
    // A pause belongs to whoever asked; the stored pause says who that is.
    if (action.action === "pause_pick" || action.action === "pause_submit") {
      return pressPause(botId, action, press, {
        store: options.store,
        intake: options.intake,
        say,
        logger: log,
      });
    }
    if (!mayActOn(action.conversationKey, press.operatorOpenId)) {
      log.info({ action: action.action }, "toolbar press by someone else refused");
      return toast("info", say("toast.not_yours"));
    }
    switch (action.action) {
      case "stop": {
        const stoppedHere = options.running.stop(botId, action.messageId);
        if (!stoppedHere && options.broadcastStop) {
          await options.broadcastStop(botId, action.messageId);
        }
        log.info({ local: stoppedHere }, "stop requested");
        return toast("info", say("toast.stopping"));
      }
      case "new_chat": {
        await options.store.resetConversation(botId, action.conversationKey);
        log.info("conversation reset from the toolbar");
        return toast("success", say("toast.new_chat"));
      }
      case "regenerate": {
        const payload: RegeneratePayload = { messageId: action.messageId };
        const outcome = await options.intake.enqueue(
          { botId, kind: REGENERATE_JOB, conversationKey: action.conversationKey, payload },
          press.eventId ? [eventKey(botId, press.eventId)] : [],
        );
        log.info({ outcome }, "regenerate requested");
        return outcome === "duplicate" ? {} : toast("info", say("toast.regenerating"));
      }
      case "picture_again":
      case "picture_vary": {
        const payload: PicturePayload = {
          messageId: action.messageId,
          chatId: press.chatId ?? "",
          senderOpenId: press.operatorOpenId,
          prompt: action.param,
          ...(action.action === "picture_vary" && action.ref ? { ref: action.ref } : {}),
        };
        if (!payload.chatId) {
          log.warn("picture press without a chat id; ignored");
          return {};
        }
        const outcome = await options.intake.enqueue(
          { botId, kind: PICTURE_JOB, conversationKey: action.conversationKey, payload },
          press.eventId ? [eventKey(botId, press.eventId)] : [],
        );
        log.info({ outcome, action: action.action }, "picture requested");
        return outcome === "duplicate" ? {} : toast("info", say("toast.drawing"));
      }
      default: {
        log.info({ action: action.action }, "command card pressed");
        return pressCommandButton(action, {
          bot,
          app: bot.appFor(press.chatId ?? ""),
          store: options.store,
          operatorOpenId: press.operatorOpenId,
          say,
        });
      }
    }
  };
}
