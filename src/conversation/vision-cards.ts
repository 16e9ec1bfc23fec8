import type { Translate } from "../i18n/translate.js";
import type { InfoCard } from "../messages/info-card.js";
import { IMAGE_DETAILS, SETTING } from "./ai-modes.js";

/** The detail levels `/vision`'s card offers: the model's own choice, then low and high. */
const CHOICES = ["auto", ...IMAGE_DETAILS] as const;
type Detail = (typeof CHOICES)[number];

export function isDetailChoice(value: string): value is Detail {
  return (CHOICES as readonly string[]).includes(value);
}

/** Vision mode: how it works, the detail level now and a button for each, and the way out. */
export function visionModeCard(
  settings: Readonly<Record<string, string>>,
  conversationKey: string,
  word: string,
  say: Translate,
): InfoCard {
  const now: Detail = IMAGE_DETAILS.find((d) => d === settings[SETTING.imageDetail]) ?? "auto";
  return {
    title: say("vision.title"),
    tone: "info",
    body: [
      say("vision.mode_on", { word }),
      "",
      say("vision.detail_now", { detail: say(`vision.detail.${now}`) }),
    ].join("\n"),
    buttons: [
      CHOICES.map((choice) => ({
        label: say(`vision.detail.${choice}`),
        style: choice === now ? "primary" : "default",
        action: { action: "vision_detail", conversationKey, param: choice },
      })),
      [{ label: say("vision.leave"), action: { action: "vision_leave", conversationKey } }],
    ],
  };
}
