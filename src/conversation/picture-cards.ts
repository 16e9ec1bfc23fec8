import type { PictureMaker, PictureShape, PictureStyle } from "../backends/picture-maker.js";
import type { Translate } from "../i18n/translate.js";
import type { InfoButton, InfoCard } from "../messages/info-card.js";
import { SETTING } from "./ai-modes.js";

/** Lark buttons carry their value back; a prompt longer than this is cut there. */
const MAX_BUTTON_PROMPT = 1000;

type Settings = Readonly<Record<string, string>>;

/** The conversation's shape, if its maker can draw it; else the maker's first. */
export function pictureShape(maker: PictureMaker, settings: Settings): PictureShape {
  const chosen = settings[SETTING.pictureShape] as PictureShape | undefined;
  return chosen && maker.shapes.includes(chosen) ? chosen : maker.shapes[0]!;
}

/** The conversation's style, if its maker takes styles. */
export function pictureStyle(maker: PictureMaker, settings: Settings): PictureStyle | undefined {
  const chosen = settings[SETTING.pictureStyle] as PictureStyle | undefined;
  if (chosen && maker.styles.includes(chosen)) return chosen;
  return maker.styles[0];
}

/** Picture mode: what it does, the shape and style now, a button for each choice, and the way out. */
export function pictureModeCard(
  maker: PictureMaker,
  settings: Settings,
  conversationKey: string,
  word: string,
  say: Translate,
): InfoCard {
  const shape = pictureShape(maker, settings);
  const style = pictureStyle(maker, settings);
  const lines = [
    say("picture.mode_on", { model: maker.model, word }),
    "",
    say("picture.now", { shape: say(`picture.shape.${shape}`) }),
  ];
  if (style) lines.push(say("picture.style_now", { style: say(`picture.style.${style}`) }));
  const buttons: InfoButton[][] = [];
  /** One button per choice, the current one highlighted; none when there is nothing to pick. */
  const choices = <T extends string>(
    all: readonly T[],
    now: T | undefined,
    action: "picture_shape" | "picture_style",
    label: (choice: T) => string,
  ) => {
    if (all.length < 2) return;
    buttons.push(
      all.map((choice) => ({
        label: label(choice),
        style: choice === now ? "primary" : "default",
        action: { action, conversationKey, param: choice },
      })),
    );
  };
  choices(maker.shapes, shape, "picture_shape", (s) => say(`picture.shape.${s}`));
  choices(maker.styles, style, "picture_style", (s) => say(`picture.style.${s}`));
  buttons.push([
    { label: say("picture.leave"), action: { action: "picture_leave", conversationKey } },
  ]);
  return { title: say("picture.title"), tone: "info", body: lines.join("\n"), buttons };
}

export interface MadePicture {
  /** What the user asked for (shown under the picture). */
  caption: string;
  /** What to draw again. */
  prompt: string;
  /** What the model says it drew from (dall-e-3's rewritten prompt). */
  revisedPrompt?: string;
  /** The user's message the picture answers. */
  messageId: string;
  conversationKey: string;
}

/** A picture made for the user, with "again" and "variation" buttons. */
export function pictureCard(made: MadePicture, ref: string, say: Translate): InfoCard {
  const { messageId, conversationKey } = made;
  const prompt = made.prompt.slice(0, MAX_BUTTON_PROMPT);
  const lines = [made.caption];
  if (made.revisedPrompt && made.revisedPrompt !== made.prompt) {
    lines.push("", `_${clip(made.revisedPrompt, 400)}_`);
  }
  return {
    title: say("picture.title"),
    tone: "success",
    picture: { ref, alt: clip(made.caption, 100) },
    body: lines.join("\n"),
    buttons: [
      [
        {
          label: say("picture.again"),
          action: { action: "picture_again", conversationKey, messageId, param: prompt },
        },
        {
          label: say("picture.vary"),
          action: {
            action: "picture_vary",
            conversationKey,
            messageId,
            param: (made.revisedPrompt ?? made.prompt).slice(0, MAX_BUTTON_PROMPT),
            ref,
          },
        },
      ],
    ],
  };
}

function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}
