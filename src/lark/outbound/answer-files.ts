import type { Logger } from "pino";
import type { ReplyTarget } from "../../conversation/ports.js";
import type { AnswerFile } from "../../messages/answer.js";
import { type GuardedFetchOptions, guardedFetch } from "../../net/guarded-fetch.js";
import type { LarkApi } from "./lark-api.js";
import { answerFileUuid } from "./request-uuid.js";

/** Lark's limit for an uploaded file (upload-file API docs: 30 MB, not empty). */
const ANSWER_FILE_MAX_BYTES = 30 * 1024 * 1024;

/** Lark's `file_type` by extension (upload-file API docs); everything else is a `stream`. */
const FILE_TYPES: Record<string, string> = {
  pdf: "pdf",
  doc: "doc",
  docx: "doc",
  xls: "xls",
  xlsx: "xls",
  ppt: "ppt",
  pptx: "ppt",
  mp4: "mp4",
  opus: "opus",
};

export function larkFileType(name: string): string {
  const extension = name.includes(".") ? name.slice(name.lastIndexOf(".") + 1).toLowerCase() : "";
  return FILE_TYPES[extension] ?? "stream";
}

/**
 * The files an app produced, each fetched through the guard, uploaded and replied as a file
 * message after the answer's card. A file that cannot be fetched or uploaded is logged and
 * skipped: the answer itself is already shown, and names the file.
 */
export async function sendAnswerFiles(
  api: LarkApi,
  target: ReplyTarget,
  files: readonly AnswerFile[],
  options: Omit<GuardedFetchOptions, "maxBytes"> & { logger: Logger },
): Promise<void> {
  for (const [index, file] of files.entries()) {
    try {
      const { data } = await guardedFetch(file.url, {
        ...options,
        maxBytes: ANSWER_FILE_MAX_BYTES,
      });
      if (data.length === 0) throw new Error("the file is empty");
      const fileKey = await api.uploadFile(data, file.name, larkFileType(file.name));
      await api.reply(target.messageId, {
        msgType: "file",
        content: { file_key: fileKey },
        replyInThread: target.inThread,
        uuid: answerFileUuid(target.idempotencyKey, index),
      });
    } catch (error) {
      options.logger.warn(
        { index, reason: (error as { reason?: string }).reason, err: (error as Error).message },
        "a file of the answer could not be sent",
      );
    }
  }
}
