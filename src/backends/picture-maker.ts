/**
 * Picture creation (`/picture`, picture mode): an images API the app's configuration names.
 * The conversation asks in shapes and styles; each maker maps them to what its model takes.
 */
export type PictureShape = "square" | "landscape" | "portrait";
export type PictureStyle = "vivid" | "natural";

export interface PictureRequest {
  prompt: string;
  shape: PictureShape;
  /** Only for makers that list styles. */
  style?: PictureStyle;
  /** The asking user's open_id, passed on for the provider's abuse monitoring. */
  user: string;
  signal: AbortSignal;
}

/** Image bytes, and the type read from them. */
export interface PictureData {
  data: Buffer;
  mimeType: string;
}

export interface Picture extends PictureData {
  /** The prompt the model says it actually drew from (dall-e-3 rewrites prompts). */
  revisedPrompt?: string;
}

export interface PictureMaker {
  readonly model: string;
  /** The shapes this model can draw, the first being the default. */
  readonly shapes: readonly PictureShape[];
  /** The styles this model takes; empty when it takes none. */
  readonly styles: readonly PictureStyle[];
  /** @throws BackendError, like a chat call. */
  create(request: PictureRequest): Promise<Picture>;
  /** Another picture in the manner of `original` (the request's prompt says of what). */
  vary(original: PictureData, request: PictureRequest): Promise<Picture>;
}
