import type { Language } from "../i18n/translate.js";
import { ConfigError } from "./config-error.js";

/** Lark's two public brands; anything else must be a full base URL (a private deployment, or the test fake). */
const DOMAINS: Record<string, string> = {
  feishu: "https://open.feishu.cn",
  lark: "https://open.larksuite.com",
};

export function resolveLarkDomain(value: string | undefined, variable = "LARK_DOMAIN"): string {
  const raw = (value ?? "feishu").trim();
  const named = DOMAINS[raw.toLowerCase()];
  if (named) return named;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(
      variable,
      `"${raw}" is not a Lark domain. Use "feishu" (open.feishu.cn), "lark" (open.larksuite.com) or a base URL such as https://open.feishu.cn`,
    );
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new ConfigError(variable, `"${raw}" must be an http(s) URL, "feishu" or "lark"`);
  }
  // The SDK appends `/open-apis/...` to the domain verbatim, so a trailing slash would double it.
  return raw.replace(/\/+$/, "");
}

/**
 * The language of a bot whose `LANGUAGE` is `auto` (the default): Chinese on Feishu, whose
 * users Feishu-OpenAI and czlchat spoke Chinese to; English on Lark international and on any
 * other base URL (a private deployment says which it wants).
 */
export function languageForDomain(domain: string): Language {
  const host = /^https?:\/\/([^/:]+)/.exec(domain)?.[1]?.toLowerCase() ?? "";
  return host === "open.feishu.cn" || host.endsWith(".feishu.cn") ? "zh" : "en";
}
