/**
 * Text commands a user can send instead of a question. `Reset` is FastGPT's exact,
 * case-sensitive word; the others are Feishu-OpenAI's slash words and Chinese aliases. An
 * unknown `/word`, and any command word followed by more text where the command takes none,
 * is a question for the model.
 */
export type CommandName =
  | "help"
  | "clear"
  | "system"
  | "roles"
  | "ai_mode"
  | "model"
  | "usage"
  | "picture"
  | "vision";

export type Command =
  | { type: "reset" }
  | { type: "help" }
  | { type: "clear" }
  | { type: "system"; prompt: string }
  | { type: "roles" }
  | { type: "ai_mode" }
  | { type: "model"; name?: string }
  | { type: "usage" }
  /** With a prompt: draw it now; without: picture mode on or off. */
  | { type: "picture"; prompt: string }
  /** Vision mode on or off: pictures wait for their question. */
  | { type: "vision" };

/** FastGPT's word and the peers' spellings for "start over", always on. */
const RESET_WORDS = ["Reset", "/reset", "/new"];

export const DEFAULT_COMMAND_WORDS: Readonly<Record<CommandName, readonly string[]>> = {
  help: ["/help", "帮助"],
  clear: ["/clear", "清除"],
  system: ["/system", "角色扮演"],
  roles: ["/roles", "角色列表"],
  ai_mode: ["/ai_mode", "发散模式"],
  model: ["/model"],
  usage: ["/usage", "/balance", "余额"],
  picture: ["/picture", "图片创作"],
  vision: ["/vision", "图片推理"],
};

/** Commands that read what follows their word. */
const TAKES_TEXT: ReadonlySet<CommandName> = new Set(["system", "model", "picture"]);

export interface CommandTable {
  /** The words of each command that is on, in the order the help card lists them. */
  readonly words: Readonly<Partial<Record<CommandName, readonly string[]>>>;
}

/**
 * The commands of a bot: the defaults, with some turned off (`false`) or given other words.
 *
 * @example commandTable({ ai_mode: false, help: ["/h", "帮助"] })
 */
export function commandTable(
  settings: Partial<Record<CommandName, false | readonly string[]>> = {},
): CommandTable {
  const words: Partial<Record<CommandName, readonly string[]>> = {};
  for (const name of Object.keys(DEFAULT_COMMAND_WORDS) as CommandName[]) {
    const setting = settings[name];
    if (setting === false) continue;
    words[name] = setting && setting.length > 0 ? setting : DEFAULT_COMMAND_WORDS[name];
  }
  return { words };
}

export const DEFAULT_COMMANDS = commandTable();

/** A command word at the start, then the end, a space or a colon (`角色扮演：…`). */
function afterWord(text: string, word: string): string | undefined {
  // Slash words are matched in any case (`/Help`); words without a slash exactly.
  const head = text.slice(0, word.length);
  const same = word.startsWith("/") ? head.toLowerCase() === word.toLowerCase() : head === word;
  if (!same) return undefined;
  const rest = text.slice(word.length);
  if (rest === "") return "";
  if (!/^[\s:：]/.test(rest)) return undefined;
  return rest.replace(/^[\s:：]+/, "").trim();
}

export function parseCommand(
  text: string,
  table: CommandTable = DEFAULT_COMMANDS,
): Command | undefined {
  const trimmed = text.trim();
  if (RESET_WORDS.includes(trimmed)) return { type: "reset" };
  for (const [name, words] of Object.entries(table.words) as [CommandName, string[]][]) {
    for (const word of words) {
      const rest = afterWord(trimmed, word);
      if (rest === undefined) continue;
      if (!TAKES_TEXT.has(name)) {
        if (rest === "") return { type: name } as Command;
        continue;
      }
      if (name === "system") return { type: "system", prompt: rest };
      if (name === "picture") return { type: "picture", prompt: rest };
      return rest ? { type: "model", name: rest } : { type: "model" };
    }
  }
  return undefined;
}
