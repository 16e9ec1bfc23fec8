import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { runCli } from "../integration/cli/larkgate-cli.js";
import type { FakeMessage } from "../kit/fake-lark.js";
import { messageText } from "../kit/fake-lark.js";
import { repeatOggOpus } from "../kit/ogg-writer.js";
import { chatWith, lastRequest } from "./chat-helpers.js";
import { type E2eKit, useE2eKit } from "./e2e-kit.js";

/** "What is the capital of France?", spoken by espeak-ng: 2.155 s of Ogg Opus, as Lark serves. */
const QUESTION = readFileSync(new URL("../fixtures/voice/question.ogg", import.meta.url));
const SPOKEN = "What is the capital of France?";

type Sent = { role: string; content: string };

/**
 * Sends a voice message from Alice (p2p unless `extra` says), with Lark holding its audio, and
 * waits for the one reply to it.
 */
async function sendVoice(
  kit: E2eKit,
  audio: Buffer = QUESTION,
  extra: Parameters<E2eKit["message"]>[1] & { durationMs?: number } = {},
): Promise<{ reply: FakeMessage; messageId: string; chatId: string }> {
  const { durationMs = 2155, ...options } = extra;
  const fileKey = `file_v3_${Math.random().toString(36).slice(2, 10)}`;
  const event = kit.message("", {
    ...options,
    messageType: "audio",
    content: { file_key: fileKey, duration: durationMs },
  });
  const messageId = event.event.message.message_id;
  kit.lark.addResource(messageId, fileKey, audio, "audio/ogg");
  await kit.push(event);
  const [reply] = await kit.answersTo(messageId);
  return { reply: reply!, messageId, chatId: event.event.message.chat_id };
}

/** The downloads of voice messages the gateway made, by the resource type it asked for. */
const audioDownloads = (kit: E2eKit) =>
  kit.lark
    .callsTo("/open-apis/im/v1/messages/:message_id/resources/:file_key")
    .map((call) => call.query.get("type"));

describe("voice questions through the app's transcription endpoint (e2e)", () => {
  const kit = useE2eKit({
    chatPrefix: "voice",
    env: (k) => ({ ...k.defaultBotEnv(), GROUP_TRIGGER: "all" }),
  });
  const chat = chatWith(kit);

  it("answers a voice message as the question heard, shows the words first, and keeps them in the history and the chat log", async () => {
    kit.llm.transcriptions.hear(QUESTION, SPOKEN);
    kit.llm.script({ text: "Paris." });
    const { reply, chatId } = await sendVoice(kit);

    // The file went to whisper-1 as Lark served it, named so OpenAI knows it is Ogg.
    const [heard] = kit.llm.transcriptions.requests;
    expect(heard!.fields.model).toBe("whisper-1");
    expect(heard!.file.name).toBe("voice.ogg");
    expect(heard!.file.data.equals(QUESTION)).toBe(true);
    expect(audioDownloads(kit)).toEqual(["file"]);
    // The model got the words as the user's message; the card shows them above the answer.
    const sent = lastRequest(kit).body.messages as Sent[];
    expect(sent.at(-1)).toEqual({ role: "user", content: SPOKEN });
    expect(messageText(reply)).toMatch(/^> 🎤 What is the capital of France\?\n\nParis\./);

    kit.llm.script({ text: "Berlin." });
    await chat.send("And of Germany?", { chatId });
    const turns = (lastRequest(kit).body.messages as Sent[]).map((m) => m.content);
    expect(turns).toEqual([`[voice] ${SPOKEN}`, "Paris.", "And of Germany?"]);

    const logs = await runCli(["logs", "--database", kit.databaseUrl, "--chat", chatId]);
    expect(logs.stdout).toContain(`"[voice] ${SPOKEN}" → "Paris."`);
  });

  it("answers a voice message in a group where it reads every message", async () => {
    kit.llm.transcriptions.hear(QUESTION, SPOKEN);
    kit.llm.script({ text: "Paris, in a group." });
    const { reply } = await sendVoice(kit, QUESTION, { chatType: "group" });
    expect(messageText(reply)).toMatch(
      /^> 🎤 What is the capital of France\?\n\nParis, in a group\./,
    );
  });

  it("says why when a voice message cannot be heard, and never asks the model", async () => {
    kit.llm.transcriptions.script({ status: 503 });
    const failed = await sendVoice(kit);
    expect(messageText(failed.reply)).toMatch(
      /^I could not understand this voice message: the speech service failed \(HTTP 503\)\. Please try again, or type your question\. Reference: [0-9a-f]{8}$/,
    );
    // Nothing registered for these bytes: Whisper hears no words.
    const silent = await sendVoice(kit, Buffer.concat([QUESTION, Buffer.from("x")]));
    expect(messageText(silent.reply)).toBe(
      "I could not make out any words in this voice message. Please try again, or type your question.",
    );
    const long = await sendVoice(kit, QUESTION, { durationMs: 6 * 60_000 });
    expect(messageText(long.reply)).toContain("it is 360 s long, and I take up to 5 minutes");
    // The long one was refused by its length, before it was downloaded.
    expect(audioDownloads(kit)).toEqual(["file", "file"]);
    expect(kit.llm.requests).toHaveLength(0);
  });

  it("says on /help that voice is on, and who listens", async () => {
    const { reply } = await chat.send("/help");
    expect(messageText(reply)).toContain(
      "Voice: send a voice message; `whisper-1` turns it into text.",
    );
  });
});

describe("voice questions through Lark's speech recognition, in Chinese (e2e)", () => {
  const kit = useE2eKit({
    chatPrefix: "voice-lark",
    env: (k) => ({ ...k.defaultBotEnv(), VOICE_TRANSCRIBE: "lark", LANGUAGE: "zh" }),
  });

  it("sends Lark the voice as 16 kHz PCM of its length, and answers what Lark heard", async () => {
    kit.lark.speech.script({ text: "法国的首都是哪里？" });
    kit.llm.script({ text: "巴黎。" });
    const { reply } = await sendVoice(kit);

    const [request] = kit.lark.speech.requests;
    expect(request!.fileId).toMatch(/^[A-Za-z0-9_]{16}$/);
    // 2.155 s of 16-bit samples at 16 kHz, within one 20 ms frame, and speech, not silence.
    expect(Math.abs(request!.seconds - 2.155)).toBeLessThanOrEqual(0.02);
    const samples = new Int16Array(
      request!.pcm.buffer,
      request!.pcm.byteOffset,
      request!.pcm.length / 2,
    );
    const rms = Math.sqrt(samples.reduce((sum, s) => sum + s * s, 0) / samples.length);
    expect(rms).toBeGreaterThan(500);
    expect((lastRequest(kit).body.messages as Sent[]).at(-1)!.content).toBe("法国的首都是哪里？");
    expect(messageText(reply)).toMatch(/^> 🎤 法国的首都是哪里？\n\n巴黎。/);
    expect(kit.llm.transcriptions.requests).toHaveLength(0);
  });

  it("sends a voice message longer than Lark's 60 s in clips of 60 s and joins what it heard", async () => {
    kit.lark.speech.script({ text: "第一段，" });
    kit.lark.speech.script({ text: "第二段。" });
    kit.llm.script({ text: "好的。" });
    // 30 times the question: 65.4 s.
    const { reply } = await sendVoice(kit, repeatOggOpus(QUESTION, 30), { durationMs: 65_400 });
    expect(kit.lark.speech.requests.map((r) => Math.round(r.seconds * 10) / 10)).toEqual([60, 5.4]);
    expect((lastRequest(kit).body.messages as Sent[]).at(-1)!.content).toBe("第一段，第二段。");
    expect(messageText(reply)).toContain("🎤 第一段，第二段。");
  });

  it("names the missing permission and where to add it, in Chinese", async () => {
    kit.lark.revokeScope(kit.lark.app.appId, "speech_to_text:speech");
    const { reply } = await sendVoice(kit);
    expect(messageText(reply)).toMatch(
      /^无法识别这条语音：机器人缺少飞书语音识别权限（speech_to_text:speech）：请管理员在开发者后台「权限管理」中开通，并发布新版本。/,
    );
    expect(kit.llm.requests).toHaveLength(0);
  });
});

describe("voice off (e2e)", () => {
  const kit = useE2eKit({
    chatPrefix: "voice-off",
    env: (k) => ({ ...k.defaultBotEnv(), VOICE_TRANSCRIBE: "off" }),
  });
  const chat = chatWith(kit);

  it("asks for text instead, without downloading the voice message, and says so on /help", async () => {
    const { reply } = await sendVoice(kit);
    expect(messageText(reply)).toBe(
      "Voice messages are off for this bot. Please type your question.",
    );
    expect(audioDownloads(kit)).toEqual([]);
    expect(kit.llm.requests).toHaveLength(0);
    const { reply: help } = await chat.send("/help");
    expect(messageText(help)).toContain("Voice: off for this bot; please type.");
  });
});
