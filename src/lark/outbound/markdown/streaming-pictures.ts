import { pictureAlt, safeHref } from "./inline-to-markdown.js";
import type { PictureLookup } from "./picture-lookup.js";

const IMAGE = /!\[([^\]\n]*)\]\(\s*<?([^\s)>]+)>?(?:\s+(?:"[^"\n]*"|'[^'\n]*'))?\s*\)/g;
/** An image still being written at the end of the text: `![alt`, `![alt](https://exa…`. */
const PARTIAL_IMAGE = /!\[[^\]\n]*(?:\](?:\([^)\n]*)?)?$/;

/**
 * The streaming text with its images in their current state: a picture uploaded already is
 * shown by its key, one on its way is a placeholder line, one refused is a link (as in the
 * final card), and an image still being typed is a placeholder rather than raw markdown.
 */
export function streamingPictures(
  text: string,
  pictures: PictureLookup,
  placeholder: (alt: string) => string,
): string {
  if (!text.includes("![")) return text;
  const shown = text.replace(IMAGE, (_all, rawAlt: string, href: string) => {
    const alt = pictureAlt(rawAlt);
    const picture = pictures(href);
    if (picture?.state === "shown") return `![${alt}](${picture.imageKey})`;
    if (picture?.state === "refused") {
      const link = safeHref(href);
      return link ? `[🖼 ${alt || "image"}](${link})` : alt;
    }
    return placeholder(alt);
  });
  return shown.replace(PARTIAL_IMAGE, (partial) =>
    placeholder(pictureAlt(partial.slice(2).split("]")[0] ?? "")),
  );
}
