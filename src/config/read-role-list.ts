import { readFileSync } from "node:fs";
import { parse } from "yaml";
import { ConfigError } from "./config-error.js";
import { DEFAULT_ROLES, type RoleEntry } from "./default-roles.js";

/**
 * The role presets for `/roles`: a file in Feishu-OpenAI's `role_list.yaml` shape (a list of
 * `title`, `content`, `tags`), or the shipped set in the bot's language. A file a user brings
 * from Feishu-OpenAI works unchanged; a broken one stops start-up naming the entry.
 *
 * @throws ConfigError naming the file and the first entry that is wrong.
 */
export function readRoleList(path: string | undefined, language: "zh" | "en"): RoleEntry[] {
  if (!path) return DEFAULT_ROLES[language];
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    throw new ConfigError(path, `cannot read the role list (${(error as Error).message})`);
  }
  let value: unknown;
  try {
    value = parse(text);
  } catch (error) {
    throw new ConfigError(path, `the role list is not valid YAML (${(error as Error).message})`);
  }
  if (!Array.isArray(value)) {
    throw new ConfigError(path, "the role list must be a YAML list of `- title:, content:, tags:`");
  }
  return value.map((entry, index) => roleEntry(path, entry, index));
}

function roleEntry(path: string, entry: unknown, index: number): RoleEntry {
  const where = `entry ${index + 1}`;
  if (!entry || typeof entry !== "object" || Array.isArray(entry)) {
    throw new ConfigError(path, `${where}: must be a mapping with title, content and tags`);
  }
  const { title, content, tags } = entry as Record<string, unknown>;
  if (typeof title !== "string" || !title.trim()) {
    throw new ConfigError(path, `${where}: title is required`);
  }
  if (typeof content !== "string" || !content.trim()) {
    throw new ConfigError(path, `${where} (${title}): content is required`);
  }
  // Feishu-OpenAI's file has `tags` as a list; a single tag as text is accepted too.
  const list = typeof tags === "string" ? [tags] : Array.isArray(tags) ? tags : [];
  return {
    title: title.trim(),
    content: content.trim(),
    tags: list.filter((tag): tag is string => typeof tag === "string" && tag.trim() !== ""),
  };
}
