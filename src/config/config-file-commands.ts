import { COMMAND_NAMES, type CommandName, type CommandSettings } from "./config.js";
import type { FilePath, Problems } from "./config-file-problems.js";

/** A command word is matched against the whole first word of a message, so it has no spaces. */
const WORD = /^\S+$/;

/**
 * A bot's `commands:`: each command `false` (off), `true` (its default words), a word, or a
 * list of words that replace its defaults.
 *
 * @example
 *   commands:
 *     picture: false
 *     help: [/help, 帮助, 菜单]
 *     roles: 角色
 */
export function commandSettings(
  raw: Record<string, unknown> | null | undefined,
  path: FilePath,
  problems: Problems,
): CommandSettings | undefined {
  if (!raw) return undefined;
  const settings: CommandSettings = {};
  const owner = new Map<string, CommandName>();
  for (const [name, value] of Object.entries(raw)) {
    const at = [...path, name];
    if (!(COMMAND_NAMES as readonly string[]).includes(name)) {
      problems.add(at, `unknown command (allowed: ${COMMAND_NAMES.join(", ")})`);
      continue;
    }
    const command = name as CommandName;
    if (value === true) continue;
    if (value === false) {
      settings[command] = false;
      continue;
    }
    const words = typeof value === "string" ? [value] : value;
    if (!Array.isArray(words) || words.length === 0) {
      problems.add(
        at,
        Array.isArray(words)
          ? `an empty list gives the command no word; write false to turn ${command} off`
          : `must be false (off), a word, or a list of words, e.g. [/${command}, …]`,
      );
      continue;
    }
    const single = typeof value === "string";
    const checked = checkWords(
      words,
      command,
      owner,
      (index) => (single ? at : [...at, index]),
      problems,
    );
    if (checked) settings[command] = checked;
  }
  return Object.keys(settings).length > 0 ? settings : undefined;
}

function checkWords(
  words: unknown[],
  command: CommandName,
  owner: Map<string, CommandName>,
  at: (index: number) => FilePath,
  problems: Problems,
): string[] | undefined {
  const out: string[] = [];
  for (const [index, word] of words.entries()) {
    const where = at(index);
    const text = typeof word === "string" ? word.trim() : word;
    if (typeof text !== "string" || !WORD.test(text)) {
      problems.add(where, "a command word must be text without spaces, e.g. /help or 帮助");
      return undefined;
    }
    const taken = owner.get(text);
    if (taken !== undefined && taken !== command) {
      problems.add(where, `"${text}" is already a word of ${taken}; each word starts one command`);
      return undefined;
    }
    owner.set(text, command);
    out.push(text);
  }
  return out;
}
