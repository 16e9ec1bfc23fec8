import type { ReplyTarget } from "../../conversation/ports.js";
import type { Translate } from "../../i18n/translate.js";
import type { AnswerFinal } from "../../messages/answer.js";
import { buildAnswerCard } from "./answer-card.js";
import { splitAnswer } from "./answer-parts.js";
import type { LarkApi } from "./lark-api.js";
import { LarkApiError } from "./lark-api-error.js";
import { markdownToPostContent } from "./markdown/markdown-to-post-content.js";
import type { PictureLookup } from "./markdown/picture-lookup.js";
import { finalMessageUuid } from "./request-uuid.js";

/**
 * The whole answer at once, when live updates are not possible: cards (split before the size
 * limit), or — when the tenant refuses our cards — rich-text posts, and plain text last.
 * Returns the first message id.
 */
export async function sendFinalAnswer(
  api: LarkApi,
  target: ReplyTarget,
  final: AnswerFinal,
  options: {
    footer: boolean;
    conversationKey: string;
    toolbar: boolean;
    t: Translate;
    pictures?: PictureLookup;
  },
): Promise<string | undefined> {
  const parts = splitAnswer(final.text);
  const send = (index: number, msgType: string, content: unknown) =>
    api.reply(target.messageId, {
      msgType,
      content,
      replyInThread: target.inThread,
      uuid: finalMessageUuid(target.idempotencyKey, index),
    });

  let first: string | undefined;
  for (const [index, text] of parts.entries()) {
    const last = index === parts.length - 1;
    const card = buildAnswerCard(
      final,
      {
        t: options.t,
        footer: options.footer,
        continued: !last,
        ...(options.pictures ? { pictures: options.pictures } : {}),
        ...(last && options.toolbar
          ? {
              toolbar: {
                messageId: target.messageId,
                conversationKey: options.conversationKey,
                streaming: false,
              },
            }
          : {}),
      },
      text,
    );
    let messageId: string;
    try {
      messageId = (await send(index, "interactive", card)).messageId;
    } catch (error) {
      if (!(error instanceof LarkApiError) || error.retryable || error.kind === "gone") throw error;
      // The card was refused (format, size, tables): the same markdown as a post, then as text.
      const body = last && final.errorNotice ? `${text}\n\n⚠️ ${final.errorNotice}`.trim() : text;
      try {
        messageId = (await send(index, "post", markdownToPostContent(body))).messageId;
      } catch {
        messageId = (await send(index, "text", { text: body })).messageId;
      }
    }
    first ??= messageId;
  }
  return first;
}
