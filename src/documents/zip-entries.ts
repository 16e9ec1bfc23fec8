import { unzipSync } from "fflate";
import { UnreadableDocument } from "./document-text.js";

/**
 * Uncompressed bytes one Office document may unpack to: a zip bomb (a few KB that inflate to
 * gigabytes) is refused instead of filling the memory of every running answer.
 */
const MAX_UNPACKED_BYTES = 200 * 1024 * 1024;

/**
 * The XML entries of an Office Open XML file (DOCX, XLSX, PPTX are zips of XML), decoded, for
 * the entries `wanted` picks.
 * @throws UnreadableDocument when the bytes are not a zip.
 */
export function zipEntries(
  data: Uint8Array,
  wanted: (name: string) => boolean,
): Map<string, string> {
  let unpacked = 0;
  let files: Record<string, Uint8Array>;
  try {
    files = unzipSync(data, {
      filter: (file) => {
        if (!wanted(file.name)) return false;
        unpacked += file.originalSize;
        if (unpacked > MAX_UNPACKED_BYTES) {
          throw new UnreadableDocument("damaged", "the document unpacks to more than 200 MB");
        }
        return true;
      },
    });
  } catch (error) {
    if (error instanceof UnreadableDocument) throw error;
    throw new UnreadableDocument("damaged", "the document is not a valid Office file (zip)", {
      cause: error,
    });
  }
  const decoder = new TextDecoder("utf-8");
  const entries = new Map<string, string>();
  for (const [name, bytes] of Object.entries(files)) entries.set(name, decoder.decode(bytes));
  return entries;
}
