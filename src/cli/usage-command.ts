import { parseArgs } from "node:util";
import type { BotConfig, GatewayConfig } from "../config/config.js";
import { ConfigError } from "../config/config-error.js";
import { loadConfig } from "../config/load-config.js";
import { type NamedRule, readingRules } from "../conversation/question-limits.js";
import { limitsFor } from "../gateway/limits-for.js";
import { createStore } from "../store/create-store.js";
import type { LimitReading } from "../store/store.js";
import {
  type Command,
  EXIT_FAILED,
  EXIT_OK,
  EXIT_USAGE,
  redactDatabaseUrl,
  usageError,
} from "./command.js";
import { missingSqliteFile } from "./database-option.js";

const HELP = `Usage: larkgate usage --bot ID [--user OPEN_ID] [--chat CHAT_ID] [--grant N --limit NAME]

Where a user (in a chat) stands against each limit of a bot's \`limits:\`, as every replica
counts it: used, the limit (with grants), and when it resets. With --grant, extends one budget
for its current window only (a day or a month); a negative N takes a grant back.

Options:
  -c, --config FILE      the config file (default: $CONFIG_FILE, else ./larkgate.yaml)
      --bot ID           the bot (required)
      --user OPEN_ID     the user (ou_…); their own limits
      --chat CHAT_ID     the chat (oc_…); its limits, and the user's there
      --grant N          add N to the budget named by --limit
      --limit NAME       e.g. tokens.userDay, questions.botMonth, cost.chatMonth
  -h, --help             show this help

Example:
  larkgate usage --bot support --user ou_3a1b --grant 50000 --limit tokens.userMonth`;

export const usageCommand: Command = {
  name: "usage",
  help: HELP,
  async run(args, io) {
    let values: {
      config?: string;
      bot?: string;
      user?: string;
      chat?: string;
      grant?: string;
      limit?: string;
    };
    let grant: number | undefined;
    try {
      values = parseArgs({
        args,
        options: {
          config: { type: "string", short: "c" },
          bot: { type: "string" },
          user: { type: "string" },
          chat: { type: "string" },
          grant: { type: "string" },
          limit: { type: "string" },
        },
      }).values;
      if (!values.bot) throw new Error("--bot is required (the bot id under bots:)");
      if (values.grant !== undefined) {
        grant = Number(values.grant);
        if (!Number.isFinite(grant)) throw new Error(`--grant "${values.grant}" must be a number`);
        if (!values.limit) throw new Error("--grant needs --limit NAME (e.g. tokens.userDay)");
      }
    } catch (error) {
      return usageError(io, "usage", error);
    }
    let config: GatewayConfig;
    try {
      config = loadConfig({ configPath: values.config, env: io.env });
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      io.err(`larkgate usage: configuration error: ${error.message}`);
      return EXIT_USAGE;
    }
    const bot = config.bots.find((b) => b.id === values.bot);
    if (!bot) {
      io.err(
        `larkgate usage: no bot "${values.bot}" (bots: ${config.bots.map((b) => b.id).join(", ")})`,
      );
      return EXIT_USAGE;
    }
    const chatId = values.chat ?? "";
    const userOpenId = values.user ?? "";
    const rules = rulesOf(bot, chatId, userOpenId).filter(
      // Without --user, a user's own rules would read the counter of nobody.
      (rule) => (userOpenId || !isUserRule(rule)) && (chatId || !isChatRule(rule)),
    );
    const target = values.limit ? rules.find((rule) => rule.name === values.limit) : undefined;
    if (grant !== undefined && (target === undefined || target.kind !== "budget")) {
      const budgets = rules.filter((r) => r.kind === "budget").map((r) => r.name);
      io.err(
        `larkgate usage: --limit "${values.limit}" is not a budget of bot ${bot.id} here (budgets: ${budgets.join(", ") || "none"}; user budgets need --user, chat budgets --chat)`,
      );
      return EXIT_USAGE;
    }
    const missing = missingSqliteFile(config.databaseUrl);
    if (missing) {
      io.err(`✗ ${missing} does not exist: nothing counted yet (check DATABASE_URL)`);
      return EXIT_FAILED;
    }
    try {
      const store = await createStore(config.databaseUrl);
      try {
        if (grant !== undefined && target?.kind === "budget") {
          await store.grantLimit(target, grant);
          io.out(`granted ${grant} to ${target.name} for its current window`);
        }
        const { readings } = await store.readLimits(rules);
        if (rules.length === 0) io.out(`bot ${bot.id} has no limits that apply here`);
        for (const [i, rule] of rules.entries()) io.out(line(rule, readings[i]!));
      } finally {
        await store.close();
      }
    } catch (error) {
      io.err(
        `✗ ${redactDatabaseUrl(config.databaseUrl)}: ${error instanceof Error ? error.message : String(error)}`,
      );
      return EXIT_FAILED;
    }
    return EXIT_OK;
  },
};

function rulesOf(bot: BotConfig, chatId: string, userOpenId: string): NamedRule[] {
  const limits = limitsFor(bot, (chat) => bot.chatOverrides?.[chat]?.app ?? bot.app);
  return limits
    ? readingRules(limits(chatId, userOpenId), { botId: bot.id, chatId, userOpenId })
    : [];
}

const isUserRule = (rule: NamedRule) =>
  rule.name.endsWith(".user") || /\.user(Day|Month)$/.test(rule.name);
const isChatRule = (rule: NamedRule) =>
  rule.name.endsWith(".chat") || rule.name.endsWith(".chatMonth");

function line(rule: NamedRule, reading: LimitReading): string {
  const resets = new Date(reading.resetsAt).toISOString();
  if (rule.kind === "bucket") {
    const left = Math.max(0, Math.floor(rule.capacity - reading.used));
    return `${rule.name}: ${left} of ${rule.capacity} requests left, full again ${resets}`;
  }
  const round = (n: number) => (rule.measure === "cost" ? n.toFixed(4) : String(Math.round(n)));
  const granted = reading.granted ? ` (${rule.limit} + ${round(reading.granted)} granted)` : "";
  const estimated = reading.estimated ? `, ${round(reading.estimated)} estimated` : "";
  const over = reading.used >= rule.limit + reading.granted ? "  [reached]" : "";
  return `${rule.name}: ${round(reading.used)} of ${round(rule.limit + reading.granted)} used${granted}${estimated}, resets ${resets}${over}`;
}
