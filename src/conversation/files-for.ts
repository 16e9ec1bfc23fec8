import type { Logger } from "pino";
import type { FileInput, FileLink } from "../backends/backend.js";
import { type DocumentText, UnreadableDocument } from "../documents/document-text.js";
import { fitDocuments } from "../documents/fit-documents.js";
import { readDocument } from "../documents/read-document.js";
import { type FileRef, filePlaceholder } from "../messages/inbound-message.js";
import type { AppRuntime, BotRuntime } from "./bot-runtime.js";
import { estimateTokens } from "./estimate-tokens.js";

/** Files beyond this many in one question are not sent: a question is about a few documents. */
export const MAX_FILES_PER_QUESTION = 5;

/** A file and the message it is in (Lark serves a file only with its message's id). */
export interface FileSource {
  messageId: string;
  key: string;
  name: string;
}

/** The file sources of one message. */
export function filesIn(messageId: string, files: readonly FileRef[]): FileSource[] {
  return files.map((file) => ({ messageId, ...file }));
}

/** Why a file did not reach the app, in words the bot's catalogue has (`file.reason.*`). */
export type FileProblem =
  | "no_text_layer"
  | "unsupported_format"
  | "damaged"
  | "empty"
  | "too_large"
  | "not_available";

/** A question's files in the form its app takes them. */
export interface Files {
  /** The files' text for the model, each under its `[file: name]` mark; empty when none. */
  text: string;
  /** Signed links, for an app that fetches files (FastGPT, Dify). */
  fileUrls: FileLink[];
  /** Downloaded whole, for a model that reads these types itself (the app's `nativeFiles`). */
  inputs: FileInput[];
  /** How many files the app gets, as text or as links. */
  sent: number;
  /** The files that could not be read, and why. */
  problems: Array<{ name: string; problem: FileProblem }>;
}

/**
 * The files of a question for its app: signed links for an app that fetches them (FastGPT,
 * Dify), when links can be made; otherwise downloaded from Lark (refused above the app's
 * `fileMaxBytes`), their text read and fitted into the app's `fileTokenBudget`, with a line
 * saying what was cut. A file that cannot be read is named with the reason, so the model
 * never answers as if it had read it.
 */
export async function filesFor(
  bot: BotRuntime,
  app: AppRuntime,
  sources: readonly FileSource[],
  log: Logger,
): Promise<Files> {
  const files: Files = { text: "", fileUrls: [], inputs: [], sent: 0, problems: [] };
  if (sources.length === 0) return files;
  if (sources.length > MAX_FILES_PER_QUESTION) {
    log.info({ files: sources.length, sent: MAX_FILES_PER_QUESTION }, "more files than sent");
  }
  const chosen = sources.slice(0, MAX_FILES_PER_QUESTION);
  if (app.backend.pictures === "link") {
    const links = chosen.map((file) => ({
      name: file.name,
      url: bot.fileLink(file.messageId, file.key, file.name),
    }));
    if (links.every((link) => link.url !== undefined)) {
      files.fileUrls = links as FileLink[];
      files.sent = links.length;
      return files;
    }
    // No public URL: the app cannot fetch the files, but it can read their text.
  }
  const results: Array<{ file: FileSource; read: Read }> = [];
  for (const file of chosen) {
    results.push({
      file,
      read: app.nativeFiles.includes(extension(file.name))
        ? await downloadWhole(bot, app, file, log)
        : await readOne(bot, app, file, log),
    });
  }
  const documents = results.flatMap(({ read }) => ("document" in read ? [read.document] : []));
  const fitted = fitDocuments(documents, app.fileTokenBudget, estimateTokens);
  let next = 0;
  const blocks = results.map(({ file, read }) => {
    if ("input" in read) {
      files.inputs.push(read.input);
      return `${filePlaceholder(file.name)} (sent to you as a file)`;
    }
    if (!("document" in read)) {
      files.problems.push({ name: file.name, problem: read.problem });
      return `${filePlaceholder(file.name)} could not be read: ${read.detail}.`;
    }
    const { text, cut } = fitted[next++]!;
    const parts = read.document.parts.length;
    const lines = [
      `${filePlaceholder(file.name)} (${read.document.kind}${parts > 1 ? `, ${parts} parts` : ""})`,
      "<<<",
      text,
      ">>>",
    ];
    if (cut) lines.push(`(Not sent, over the length limit: ${cut}.)`);
    return lines.join("\n");
  });
  files.sent = documents.length + files.inputs.length;
  files.text = blocks.join("\n\n");
  return files;
}

type Read =
  | { document: DocumentText }
  | { input: FileInput }
  | { problem: FileProblem; detail: string };

/** Types a model reading files natively gets, by extension (what Lark's name says it is). */
const MIME_TYPES: Record<string, string> = {
  pdf: "application/pdf",
  txt: "text/plain",
  md: "text/markdown",
  csv: "text/csv",
  html: "text/html",
  json: "application/json",
  docx: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
  xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
  pptx: "application/vnd.openxmlformats-officedocument.presentationml.presentation",
};

function extension(name: string): string {
  return name.includes(".") ? name.slice(name.lastIndexOf(".") + 1).toLowerCase() : "";
}

async function downloadWhole(
  bot: BotRuntime,
  app: AppRuntime,
  file: FileSource,
  log: Logger,
): Promise<Read> {
  const downloaded = await download(bot, app, file, log);
  if ("problem" in downloaded) return downloaded;
  if (downloaded.data.length === 0) return { problem: "empty", detail: "it is empty" };
  const mimeType = MIME_TYPES[extension(file.name)] ?? "application/octet-stream";
  return { input: { name: file.name, mimeType, data: downloaded.data } };
}

async function download(
  bot: BotRuntime,
  app: AppRuntime,
  file: FileSource,
  log: Logger,
): Promise<{ data: Buffer } | { problem: FileProblem; detail: string }> {
  try {
    return { data: (await bot.downloadFile(file.messageId, file.key, app.fileMaxBytes)).data };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    log.warn({ err: { message } }, "file not downloaded; answering without it");
    const tooLarge = /larger than/.test(message);
    return {
      problem: tooLarge ? "too_large" : "not_available",
      detail: tooLarge ? "it is larger than this bot takes" : "it could not be downloaded",
    };
  }
}

async function readOne(
  bot: BotRuntime,
  app: AppRuntime,
  file: FileSource,
  log: Logger,
): Promise<Read> {
  const downloaded = await download(bot, app, file, log);
  if ("problem" in downloaded) return downloaded;
  const { data } = downloaded;
  try {
    return { document: await readDocument(file.name, data) };
  } catch (error) {
    if (!(error instanceof UnreadableDocument)) {
      log.warn({ err: { message: String(error) } }, "file not readable");
      return { problem: "damaged", detail: "it is damaged or not what its name says" };
    }
    log.info({ reason: error.reason }, "file has no text to send");
    return { problem: error.reason, detail: error.message };
  }
}
