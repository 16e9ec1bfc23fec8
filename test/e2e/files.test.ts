import { describe, expect, it } from "vitest";
import { docxWith, pdfWith } from "../kit/documents.js";
import { messageText } from "../kit/fake-lark.js";
import { buttonValue } from "./card-helpers.js";
import { lastRequest } from "./chat-helpers.js";
import { useE2eKit } from "./e2e-kit.js";

type Sent = { role: string; content: string };

/**
 * Files and the other message types reach an OpenAI-compatible app as text: documents read by
 * larkgate within a token budget, forwarded chats as transcripts. Through the real gateway
 * process, the fake Lark serving the files over its resources API.
 */
describe("files and other message types (e2e)", () => {
  const kit = useE2eKit({ chatPrefix: "files" });

  /** Pushes a file message as Alice, with its bytes served by the fake Lark. */
  function fileEvent(name: string, bytes: Buffer, extra: Parameters<typeof kit.message>[1] = {}) {
    const key = `file_v3_${name.replace(/\W/g, "_")}`;
    const event = kit.message("", {
      ...extra,
      messageType: "file",
      content: { file_key: key, file_name: name },
    });
    kit.lark.addResource(event.event.message.message_id, key, bytes, "application/octet-stream");
    return event;
  }

  const userTurn = () => (lastRequest(kit).body.messages as Sent[]).at(-1)!.content;

  it("asks what to do with a PDF sent alone, then answers the next question with its text, and keeps only its name", async () => {
    const pdf = fileEvent(
      "report.pdf",
      pdfWith([["Revenue grew 12% in Q3"], ["Churn fell to 2%"]]),
    );
    const chatId = pdf.event.message.chat_id;
    await kit.push(pdf);
    const [asked] = await kit.answersTo(pdf.event.message.message_id);
    expect(messageText(asked!)).toBe("Got report.pdf. What would you like me to do with it?");
    expect(kit.llm.requests).toHaveLength(0);

    kit.llm.script({ text: "Revenue up, churn down." });
    const question = kit.message("summarise it", { chatId });
    await kit.push(question);
    await kit.answersTo(question.event.message.message_id);
    const sent = userTurn();
    expect(sent).toContain("[file: report.pdf] (PDF, 2 parts)");
    expect(sent).toContain("Revenue grew 12% in Q3");
    expect(sent).toContain("Churn fell to 2%");
    expect(sent.endsWith("summarise it")).toBe(true);

    kit.llm.script({ text: "Yes." });
    const next = kit.message("and is that good?", { chatId });
    await kit.push(next);
    await kit.answersTo(next.event.message.message_id);
    const history = lastRequest(kit).body.messages as Sent[];
    expect(history.map((m) => m.content)).toContain("[file: report.pdf] summarise it");
    expect(JSON.stringify(history.slice(0, -1))).not.toContain("Revenue grew");
  });

  it("sends a file that waited for its question again on Regenerate", async () => {
    const pdf = fileEvent("plan.pdf", pdfWith([["Launch in June"]]));
    const chatId = pdf.event.message.chat_id;
    await kit.push(pdf);
    await kit.answersTo(pdf.event.message.message_id);
    kit.llm.script({ text: "June." });
    const question = kit.message("when do we launch?", { chatId });
    await kit.push(question);
    const [answer] = await kit.answersTo(question.event.message.message_id, { card: true });
    expect(userTurn()).toContain("Launch in June");

    kit.llm.script({ text: "In June." });
    await kit.push(
      kit.cardAction({
        value: buttonValue(answer!.card!.json, "Regenerate")!,
        messageId: answer!.messageId,
        chatId,
      }),
      "card",
    );
    await kit.answersTo(question.event.message.message_id, { count: 2 });
    expect(kit.llm.requests).toHaveLength(2);
    // The file was downloaded and read again, not taken from the history (which has its name).
    expect(userTurn()).toContain("[file: plan.pdf] (PDF)");
    expect(userTurn()).toContain("Launch in June");
    expect(userTurn().endsWith("when do we launch?")).toBe(true);
  });

  it("answers a question replying to a DOCX in a group, its table included", async () => {
    const docx = fileEvent(
      "minutes.docx",
      docxWith([
        { heading: "Minutes" },
        "Ship on Friday.",
        [
          ["Owner", "Task"],
          ["Ana", "Release notes"],
        ],
      ]),
      { chatType: "group" },
    );
    const chatId = docx.event.message.chat_id;
    await kit.push(docx); // no mention: not answered
    kit.llm.script({ text: "Ana writes the release notes." });
    const question = kit.message("@_user_1 who does what?", {
      chatId,
      chatType: "group",
      parentId: docx.event.message.message_id,
      mentions: [kit.botMention()],
    });
    await kit.push(question);
    await kit.answersTo(question.event.message.message_id);
    const sent = userTurn();
    expect(sent.startsWith("> [file: minutes.docx]")).toBe(true);
    expect(sent).toContain("# Minutes");
    expect(sent).toContain("| Ana | Release notes |");
    expect(sent.endsWith("who does what?")).toBe(true);
  });

  it("sends a CSV as a table", async () => {
    const csv = fileEvent("sales.csv", Buffer.from("region,total\nNorth,120\nSouth,80\n"));
    const chatId = csv.event.message.chat_id;
    await kit.push(csv);
    await kit.answersTo(csv.event.message.message_id);
    kit.llm.script({ text: "North leads." });
    const question = kit.message("which region leads?", { chatId });
    await kit.push(question);
    await kit.answersTo(question.event.message.message_id);
    expect(userTurn()).toContain(
      "| region | total |\n| --- | --- |\n| North | 120 |\n| South | 80 |",
    );
  });

  it("says a scanned PDF has no text instead of answering on nothing", async () => {
    const scan = fileEvent("scan.pdf", pdfWith([[]]));
    const chatId = scan.event.message.chat_id;
    await kit.push(scan);
    await kit.answersTo(scan.event.message.message_id);
    const question = kit.message("what does it say?", { chatId });
    await kit.push(question);
    const [reply] = await kit.answersTo(question.event.message.message_id);
    expect(messageText(reply!)).toContain("I could not read scan.pdf: it is a scanned PDF");
    expect(kit.llm.requests).toHaveLength(0);
  });

  it("answers a forwarded chat from its transcript, each message with its sender and time", async () => {
    const forward = kit.message("", {
      messageType: "merge_forward",
      content: { content: "Merged and Forwarded Message" },
    });
    const id = forward.event.message.message_id;
    kit.lark.addForwarded(id, [
      {
        messageId: "om_f1",
        msgType: "text",
        content: { text: "Ship Friday?" },
        senderOpenId: "ou_bo",
        createTime: "1714555800000",
      },
      {
        messageId: "om_f2",
        msgType: "text",
        content: { text: "Yes, Friday." },
        senderOpenId: "ou_cy",
        createTime: "1714555860000",
      },
      {
        messageId: "om_f3",
        msgType: "file",
        content: { file_key: "file_x", file_name: "plan.pdf" },
        senderOpenId: "ou_bo",
        createTime: "1714555920000",
      },
    ]);
    kit.llm.script({ text: "You decided to ship on Friday." });
    await kit.push(forward);
    await kit.answersTo(id);
    expect(userTurn()).toBe(
      [
        "[forwarded chat, 3 messages]",
        "[2024-05-01 09:30 UTC] Person 1: Ship Friday?",
        "[2024-05-01 09:31 UTC] Person 2: Yes, Friday.",
        "[2024-05-01 09:32 UTC] Person 1: [file: plan.pdf]",
      ].join("\n"),
    );
  });

  it("answers a question replying to a forwarded chat in a group, the transcript quoted", async () => {
    const forward = kit.message("", {
      chatType: "group",
      messageType: "merge_forward",
      content: { content: "Merged and Forwarded Message" },
    });
    const forwardId = forward.event.message.message_id;
    const chatId = forward.event.message.chat_id;
    kit.lark.addForwarded(forwardId, [
      {
        messageId: "om_g1",
        msgType: "text",
        content: { text: "Budget is 10k" },
        senderOpenId: "ou_bo",
        createTime: "1714555800000",
      },
      {
        messageId: "om_g2",
        msgType: "text",
        content: { text: "Agreed." },
        senderOpenId: "ou_cy",
        createTime: "1714555860000",
      },
    ]);
    await kit.push(forward); // no mention: not answered
    kit.llm.script({ text: "The budget is 10k." });
    const question = kit.message("@_user_1 what budget did they agree?", {
      chatId,
      chatType: "group",
      parentId: forwardId,
      mentions: [kit.botMention()],
    });
    await kit.push(question);
    await kit.answersTo(question.event.message.message_id);
    expect(kit.llm.requests).toHaveLength(1);
    expect(userTurn()).toBe(
      [
        "> [forwarded chat, 2 messages]",
        "> [2024-05-01 09:30 UTC] Person 1: Budget is 10k",
        "> [2024-05-01 09:31 UTC] Person 2: Agreed.",
        "",
        "what budget did they agree?",
      ].join("\n"),
    );
  });

  it("gives a location its text form, a sticker a light reply, and an unknown type the not-supported notice", async () => {
    kit.llm.script({ text: "That is the office." });
    const location = kit.message("", {
      messageType: "location",
      content: { name: "Tower A", latitude: "39.9", longitude: "116.4" },
    });
    await kit.push(location);
    await kit.answersTo(location.event.message.message_id);
    expect(userTurn()).toBe("[location: Tower A, latitude 39.9, longitude 116.4]");

    const before = kit.llm.requests.length;
    const sticker = kit.message("", { messageType: "sticker", content: { file_key: "stk_1" } });
    await kit.push(sticker);
    const [light] = await kit.answersTo(sticker.event.message.message_id);
    expect(messageText(light!)).toBe("🙂 Send me a question whenever you like.");

    const future = kit.message("", { messageType: "hologram", content: { beam: 1 } });
    await kit.push(future);
    const [notice] = await kit.answersTo(future.event.message.message_id);
    expect(messageText(notice!)).toBe(
      "I cannot read this kind of message yet. Please send your question as text, or as a file.",
    );
    expect(kit.llm.requests).toHaveLength(before);
  });
});
