/** What became of one picture an answer links to (answer-pictures.ts keeps the states). */
export type PictureState =
  | { state: "loading" }
  | { state: "shown"; imageKey: string }
  | { state: "refused" };

/** The state of the picture an image link points to; undefined for a link never seen. */
export type PictureLookup = (href: string) => PictureState | undefined;

/** Short stand-ins for `data:` URLs, so a base64 image does not count against a card's size. */
export const INLINE_PREFIX = "larkgate-inline:";
