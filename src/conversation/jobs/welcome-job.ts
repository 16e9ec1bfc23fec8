import { translator } from "../../i18n/translate.js";
import { type JobKind, PayloadError } from "../../intake/job-kind.js";
import type { ChatOpened } from "../../messages/chat-opened.js";
import { ANY_MEMBER, formatConversationKey } from "../../messages/conversation-key.js";
import { isRecord } from "../../messages/is-record.js";
import { welcomeCard } from "../command-cards.js";
import { botForJob, type ConversationJobDeps } from "./job-deps.js";

export const WELCOME_JOB = "welcome";

/** The p2p chat, or in a group "whoever presses" (see `ANY_MEMBER`). */
export function welcomeConversationKey(opened: Pick<ChatOpened, "chatId" | "chatType">): string {
  return formatConversationKey(
    opened.chatType === "p2p"
      ? { type: "p2p", chatId: opened.chatId }
      : { type: "group", chatId: opened.chatId, senderOpenId: ANY_MEMBER },
  );
}

/** The welcome card for a chat that was just opened; sent once per event (its uuid). */
export function welcomeJob(deps: ConversationJobDeps): JobKind<ChatOpened> {
  return {
    kind: WELCOME_JOB,
    parse(payload) {
      if (
        !isRecord(payload) ||
        typeof payload.chatId !== "string" ||
        typeof payload.eventId !== "string" ||
        (payload.chatType !== "p2p" && payload.chatType !== "group")
      ) {
        throw new PayloadError("a welcome job needs chatId, eventId and chatType");
      }
      return payload as unknown as ChatOpened;
    },
    async run(opened, { job, logger }) {
      const bot = botForJob(deps, job.botId, logger);
      if (!bot) return;
      const say = translator(bot.language);
      const text =
        bot.welcome ??
        (bot.name ? say("welcome.text", { bot: bot.name }) : say("welcome.text_unnamed"));
      if (text === "") {
        logger.debug("welcome turned off");
        return;
      }
      const key = welcomeConversationKey(opened);
      const card = welcomeCard(bot, bot.appFor(opened.chatId), text, key, say);
      await bot.replier.sendCard(opened.chatId, card, opened.eventId);
      logger.info({ chatId: opened.chatId, chatType: opened.chatType }, "welcome sent");
    },
  };
}
