import type OpenAI from "openai";
import { toFile } from "openai";
import { BackendError } from "./backend.js";
import { createKeyPool } from "./key-pool.js";
import { type ChatEndpoint, clientsPerKey } from "./openai-client.js";
import { fetchPicture, readPicture } from "./picture-bytes.js";
import type {
  Picture,
  PictureData,
  PictureMaker,
  PictureRequest,
  PictureShape,
  PictureStyle,
} from "./picture-maker.js";
import { withApiKey } from "./with-api-key.js";

export interface OpenAiPicturesOptions {
  /** The app's endpoint (the chat's base URL and keys; on Azure, the resource). */
  endpoint: ChatEndpoint;
  apiKeys: string[];
  /** `OPENAI_IMAGE_MODEL`; on Azure, the image deployment's name. */
  model: string;
}

/** The size each model draws a shape at (OpenAI's image API reference). */
const SIZES: Record<"dall-e-2" | "dall-e-3" | "other", Partial<Record<PictureShape, string>>> = {
  "dall-e-2": { square: "1024x1024" },
  "dall-e-3": { square: "1024x1024", landscape: "1792x1024", portrait: "1024x1792" },
  // gpt-image-1, and what OpenAI-compatible providers copy of it.
  other: { square: "1024x1024", landscape: "1536x1024", portrait: "1024x1536" },
};

/**
 * Pictures from an OpenAI-compatible images API (`POST …/images/generations`), with the app's
 * keys taking turns as chat calls do. Answers in `b64_json` and by `url` are both read; dall-e
 * models are asked for base64 (their links expire and cost a second request), gpt-image-1
 * answers base64 always and refuses the parameter.
 *
 * "Vary" is what each model can do: dall-e-2 has true variations, gpt-image-1 (and the
 * providers copying it) redraws the picture through `images/edits`, and dall-e-3, which has
 * neither, draws again from the detailed prompt it wrote for the original.
 */
export function createOpenAiPictures(options: OpenAiPicturesOptions): PictureMaker {
  const { model, endpoint } = options;
  const pool = createKeyPool(options.apiKeys);
  const client = clientsPerKey(endpoint, (index) => pool.key(index));
  const family = modelFamily(model);
  const sizes = SIZES[family];
  const shapes = Object.keys(sizes) as PictureShape[];
  const styles: PictureStyle[] = family === "dall-e-3" ? ["vivid", "natural"] : [];
  const base64 = family !== "other" ? { response_format: "b64_json" as const } : {};
  const sizeOf = (shape: PictureShape) => sizes[shape] ?? sizes.square!;

  /** The first picture of an images answer, whichever form it came in. */
  async function pictureOf(answer: OpenAI.ImagesResponse, signal: AbortSignal): Promise<Picture> {
    const item = answer.data?.[0];
    const revised = item?.revised_prompt ? { revisedPrompt: item.revised_prompt } : {};
    if (item?.b64_json) return { ...readPicture(Buffer.from(item.b64_json, "base64")), ...revised };
    if (item?.url) return { ...(await fetchPicture(item.url, signal, endpoint.fetch)), ...revised };
    throw new BackendError("empty_answer", "the images API answered without a picture");
  }

  const run = (signal: AbortSignal, call: (api: OpenAI) => Promise<OpenAI.ImagesResponse>) =>
    withApiKey(pool, options.apiKeys, signal, async (index) =>
      pictureOf(await call(client(index)), signal),
    );

  function create(request: PictureRequest): Promise<Picture> {
    const style = request.style && styles.includes(request.style) ? { style: request.style } : {};
    return run(request.signal, (api) =>
      api.images.generate(
        {
          model,
          prompt: request.prompt,
          n: 1,
          size: sizeOf(request.shape) as "1024x1024",
          ...style,
          ...base64,
          user: request.user,
        },
        { signal: request.signal },
      ),
    );
  }

  async function vary(original: PictureData, request: PictureRequest): Promise<Picture> {
    if (family === "dall-e-3") return create(request);
    const file = () =>
      toFile(original.data, `picture.${extension(original.mimeType)}`, {
        type: original.mimeType,
      });
    if (family === "dall-e-2") {
      return run(request.signal, async (api) =>
        api.images.createVariation(
          { model, image: await file(), n: 1, size: "1024x1024", ...base64, user: request.user },
          { signal: request.signal },
        ),
      );
    }
    return run(request.signal, async (api) =>
      api.images.edit(
        {
          model,
          image: await file(),
          prompt: `A new variation of this picture, same subject and style: ${request.prompt}`,
          n: 1,
          size: sizeOf(request.shape) as "1024x1024",
          user: request.user,
        },
        { signal: request.signal },
      ),
    );
  }

  return { model, shapes, styles, create, vary };
}

/**
 * Which model's rules apply. On Azure the name is a deployment's, which people name after the
 * model (`dalle3-prod`, `dall-e-3`): the letters and digits tell it.
 */
function modelFamily(model: string): keyof typeof SIZES {
  const plain = model.toLowerCase().replace(/[^a-z0-9]/g, "");
  if (plain.includes("dalle3")) return "dall-e-3";
  if (plain.includes("dalle2")) return "dall-e-2";
  return "other";
}

function extension(mimeType: string): string {
  return mimeType.split("/")[1]?.replace("jpeg", "jpg") ?? "png";
}
