import type { TextKey } from "../i18n/translate.js";

/**
 * Feishu-OpenAI's four answer styles (严谨 / 简洁 / 标准 / 发散). There they were only
 * temperatures; here "concise" also asks for brevity, since a lower temperature alone does
 * not make an answer shorter. "standard" is the app's own setting.
 */
export const AI_MODES = {
  strict: { label: "ai_mode.strict", temperature: 0.2 },
  concise: {
    label: "ai_mode.concise",
    temperature: 0.5,
    instruction: "Answer briefly: the answer first, then at most a few short points.",
  },
  standard: { label: "ai_mode.standard" },
  creative: { label: "ai_mode.creative", temperature: 1.2 },
} as const satisfies Record<string, { label: TextKey; temperature?: number; instruction?: string }>;

export type AiModeName = keyof typeof AI_MODES;

export function isAiMode(name: string | undefined): name is AiModeName {
  return name !== undefined && Object.hasOwn(AI_MODES, name);
}

/** What a conversation's settings change in the request to the model. */
export interface TurnTuning {
  system?: string;
  temperature?: number;
  model?: string;
  imageDetail?: "low" | "high";
}

export const IMAGE_DETAILS = ["low", "high"] as const;

/** The settings a user chose for a conversation, read back (see `conversation-settings`). */
export const SETTING = {
  systemPrompt: "systemPrompt",
  aiMode: "aiMode",
  model: "model",
  /** `on` while plain text goes to the images API (`图片创作`). */
  pictureMode: "pictureMode",
  pictureShape: "pictureShape",
  pictureStyle: "pictureStyle",
  /** `on` while pictures wait for their question (`图片推理`). */
  visionMode: "visionMode",
  /** `low` or `high`: how closely a vision model looks (`/vision`'s card). */
  imageDetail: "imageDetail",
  /** JSON `{messageId, keys}`: pictures sent in vision mode, for the next question. */
  visionPending: "visionPending",
} as const;

/**
 * The system prompt, temperature and model of a turn: the app's, with the conversation's
 * role, answer style and model over them. Only what an app can take applies (FastGPT and
 * Dify have their own prompt and model in the app), so `tunable` says whether it can.
 */
export function turnTuning(
  settings: Readonly<Record<string, string>>,
  app: { systemPrompt?: string; models: readonly string[]; tunable: boolean },
): TurnTuning {
  const role = settings[SETTING.systemPrompt];
  const mode = settings[SETTING.aiMode];
  const style = isAiMode(mode) ? AI_MODES[mode] : undefined;
  const base = role ?? app.systemPrompt;
  const instruction = style && "instruction" in style ? style.instruction : undefined;
  const system = [base, instruction].filter(Boolean).join("\n\n") || undefined;
  const model = settings[SETTING.model];
  const detail = IMAGE_DETAILS.find((d) => d === settings[SETTING.imageDetail]);
  return {
    ...(detail ? { imageDetail: detail } : {}),
    ...(system ? { system } : {}),
    ...(app.tunable && style && "temperature" in style ? { temperature: style.temperature } : {}),
    ...(app.tunable && model && app.models.includes(model) ? { model } : {}),
  };
}
