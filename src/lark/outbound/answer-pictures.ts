import type { Logger } from "pino";
import { imageHrefs } from "./markdown/image-hrefs.js";
import { INLINE_PREFIX, type PictureLookup, type PictureState } from "./markdown/picture-lookup.js";

export type { PictureLookup, PictureState } from "./markdown/picture-lookup.js";

/**
 * Pictures fetched per answer at most: each is a download, an upload and a card component, and
 * a model listing a whole gallery should not stall its answer. Later ones stay links.
 */
export const MAX_PICTURES_PER_ANSWER = 8;

/** A `data:` image URL between a markdown image's parentheses. */
const DATA_HREF =
  /(\]\(\s*<?)(data:image\/[A-Za-z0-9.+-]+(?:;[^;,)\s]*)*;base64,[A-Za-z0-9+/=\s]+?)(>?\s*\))/g;

export interface AnswerPicturesOptions {
  /** The picture's bytes (data URLs decoded, links fetched through the guard), or a throw. */
  load(href: string): Promise<{ data: Buffer; mimeType: string }>;
  /** Uploads to Lark and returns the image key a card shows it by. */
  upload(data: Buffer, mimeType: string): Promise<string>;
  logger: Logger;
  max?: number;
  /** A picture was shown or refused (the live card can swap its placeholder). */
  onChange?: () => void;
}

/**
 * The pictures of one answer: each image link is loaded and uploaded once, as soon as it is seen
 * (while the answer still streams), and looked up when the card is drawn. What cannot be loaded,
 * or comes after the per-answer cap, is refused and stays a link.
 */
export function createAnswerPictures(options: AnswerPicturesOptions) {
  const max = options.max ?? MAX_PICTURES_PER_ANSWER;
  const states = new Map<string, PictureState>();
  const work: Promise<void>[] = [];
  const inline: string[] = [];
  let started = 0;
  /** `)`s in the text last scanned: an image link is complete only once its `)` arrives. */
  let closers = -1;

  function start(href: string): void {
    if (states.has(href)) return;
    if (started >= max) {
      states.set(href, { state: "refused" });
      options.logger.info({ max }, "answer picture over the per-answer cap stays a link");
      return;
    }
    started++;
    states.set(href, { state: "loading" });
    const source = href.startsWith(INLINE_PREFIX)
      ? (inline[Number(href.slice(INLINE_PREFIX.length))] ?? "")
      : href;
    work.push(
      options
        .load(source)
        .then((picture) => options.upload(picture.data, picture.mimeType))
        .then(
          (imageKey) => states.set(href, { state: "shown", imageKey }),
          (error: unknown) => {
            states.set(href, { state: "refused" });
            const reason = (error as { reason?: string }).reason ?? "upload";
            // The host, never the whole link: links may carry signatures or tokens.
            options.logger.info(
              { reason, host: hostOf(source), err: (error as Error).message },
              "answer picture not shown; it stays a link",
            );
          },
        )
        .then(() => options.onChange?.()),
    );
  }

  return {
    /**
     * The answer with every `data:` image URL replaced by a short stand-in (same one for the
     * same data), so card sizes count text, not pictures. Idempotent.
     */
    shorten(markdown: string): string {
      if (!markdown.includes("data:")) return markdown;
      return markdown.replace(DATA_HREF, (_all, open: string, data: string, close: string) => {
        let index = inline.indexOf(data);
        if (index < 0) index = inline.push(data) - 1;
        return `${open}${INLINE_PREFIX}${index}${close}`;
      });
    },

    /** Starts loading every image link in the (shortened) answer not seen before. */
    see(markdown: string, options: { final?: boolean } = {}): void {
      // Called on every streamed delta: lex again only when a new link may have completed
      // (and always for the final text, which moderation may have replaced wholesale).
      const count = countOf(markdown, ")");
      if (count === closers && !options.final) return;
      closers = count;
      for (const href of imageHrefs(markdown)) start(href);
    },

    lookup: ((href: string) => states.get(href)) as PictureLookup,

    /** Resolves once every picture seen so far is shown or refused (each is time-limited). */
    async settled(): Promise<void> {
      let done = 0;
      while (done < work.length) {
        const batch = work.slice(done);
        done = work.length;
        await Promise.all(batch);
      }
    },
  };
}

export type AnswerPictures = ReturnType<typeof createAnswerPictures>;

function countOf(text: string, char: string): number {
  let count = 0;
  for (let at = text.indexOf(char); at >= 0; at = text.indexOf(char, at + 1)) count++;
  return count;
}

function hostOf(href: string): string {
  if (href.startsWith("data:")) return "data-url";
  try {
    return new URL(href).host;
  } catch {
    return "invalid";
  }
}
