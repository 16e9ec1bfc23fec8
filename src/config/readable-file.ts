import { accessSync, constants, statSync } from "node:fs";
import { isAbsolute } from "node:path";

/**
 * Why `path` cannot be read at start, said to follow "the … file" (`"roles.yaml" does not
 * exist`), or undefined when it can. Checked at start so a wrong path stops start-up with its
 * variable named, instead of failing at the first message that needs the file.
 */
export function readableFile(path: string): string | undefined {
  try {
    if (!statSync(path).isFile()) return `"${path}" is not a file`;
    accessSync(path, constants.R_OK);
    return undefined;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT") {
      return `"${path}" does not exist${isAbsolute(path) ? "" : ` (in ${process.cwd()})`}`;
    }
    if (code === "EACCES") return `"${path}" cannot be read by this user (permission denied)`;
    return `"${path}" cannot be read (${code ?? String(error)})`;
  }
}
