import { describe, expect, it } from "vitest";
import { pdfWith } from "../kit/documents.js";
import { lastRequest } from "./chat-helpers.js";
import { useE2eKit } from "./e2e-kit.js";

type Part = { type: string; text?: string; file?: { filename: string; file_data: string } };

/**
 * An app whose model reads PDFs itself (OPENAI_NATIVE_FILES=pdf): the PDF goes to it whole, as
 * an OpenAI `file` content part (base64) instead of the text larkgate reads from it.
 */
describe("files for a model that reads them itself (e2e)", () => {
  const kit = useE2eKit({
    chatPrefix: "native",
    env: (kit) => ({ ...kit.defaultBotEnv(), OPENAI_NATIVE_FILES: "pdf" }),
  });

  it("sends a PDF whole as a file part, and the history keeps only its name", async () => {
    const pdf = pdfWith([["Revenue grew 12%"]]);
    const question = kit.message("compare them", { chatType: "p2p" });
    const chatId = question.event.message.chat_id;
    const report = kit.message("", {
      chatId,
      messageType: "file",
      content: { file_key: "file_v3_report", file_name: "report.pdf" },
    });
    kit.lark.addResource(report.event.message.message_id, "file_v3_report", pdf, "application/pdf");
    await kit.push(report);
    await kit.answersTo(report.event.message.message_id);

    kit.llm.script({ text: "Revenue grew." });
    await kit.push(question);
    await kit.answersTo(question.event.message.message_id);
    const messages = lastRequest(kit).body.messages as Array<{ role: string; content: unknown }>;
    const parts = messages.at(-1)!.content as Part[];
    expect(parts[0]).toEqual({
      type: "text",
      text: "[file: report.pdf] (sent to you as a file)\n\ncompare them",
    });
    expect(parts[1]).toEqual({
      type: "file",
      file: {
        filename: "report.pdf",
        file_data: `data:application/pdf;base64,${pdf.toString("base64")}`,
      },
    });
    expect(parts).toHaveLength(2);

    // The history keeps the file's name, not the file.
    kit.llm.script({ text: "Yes." });
    const next = kit.message("sure?", { chatId });
    await kit.push(next);
    await kit.answersTo(next.event.message.message_id);
    const history = lastRequest(kit).body.messages as Array<{ content: unknown }>;
    expect(history.map((m) => m.content)).toContain("[file: report.pdf] compare them");
    expect(JSON.stringify(history)).not.toContain(pdf.toString("base64"));
  });
});
