import { parseArgs } from "node:util";
import {
  type CliIo,
  type Command,
  EXIT_FAILED,
  EXIT_OK,
  EXIT_USAGE,
  usageError,
} from "./command.js";

const HELP = `Usage: larkgate reload [--url URL]

Asks a running gateway to re-read its configuration and apply the bots and apps in it,
without a restart (POST <url>/admin/reload). Answers in flight finish undisturbed. An
invalid configuration is refused with its reason and the running one stays. Same effect as
sending the gateway SIGHUP (kill -HUP <pid>). Server and database changes need a restart.

Needs ADMIN_TOKEN set to the gateway's ADMIN_TOKEN (the gateway refuses /admin without one).

Options:
  -u, --url URL  the gateway's address (default: http://127.0.0.1:$HTTP_PORT, or :9000)
  -h, --help     show this help`;

const RELOAD_TIMEOUT_MS = 30_000;

function defaultUrl(env: CliIo["env"]): string {
  const port = env.HTTP_PORT?.trim() || env.PORT?.trim() || "9000";
  return `http://127.0.0.1:${port}`;
}

/** The gateway answers `{ bots }` on success and `{ code, msg }` on refusal. */
function describeAnswer(text: string): { bots?: string[]; msg?: string } {
  try {
    const body = JSON.parse(text) as { bots?: unknown; msg?: unknown };
    return {
      ...(Array.isArray(body.bots) ? { bots: body.bots.map(String) } : {}),
      ...(typeof body.msg === "string" ? { msg: body.msg } : {}),
    };
  } catch {
    return { msg: text.slice(0, 300) };
  }
}

export const reloadCommand: Command = {
  name: "reload",
  help: HELP,
  async run(args, io) {
    let base: string;
    try {
      const { values } = parseArgs({ args, options: { url: { type: "string", short: "u" } } });
      base = (values.url ?? defaultUrl(io.env)).replace(/\/+$/, "");
      new URL(base);
    } catch (error) {
      return usageError(io, "reload", error);
    }
    const token = io.env.ADMIN_TOKEN?.trim();
    if (!token) {
      io.err(
        "larkgate reload: ADMIN_TOKEN is not set. Set it to the same value the gateway runs with (the gateway only accepts /admin/reload when it has one).",
      );
      return EXIT_USAGE;
    }
    let response: Response;
    try {
      response = await fetch(`${base}/admin/reload`, {
        method: "POST",
        headers: { authorization: `Bearer ${token}` },
        signal: AbortSignal.timeout(RELOAD_TIMEOUT_MS),
      });
    } catch (error) {
      const reason = error instanceof Error ? (error.cause ?? error).toString() : String(error);
      io.err(`✗ cannot reach the gateway at ${base} (${reason}). Is it running? Check --url.`);
      return EXIT_FAILED;
    }
    const answer = describeAnswer(await response.text());
    if (response.ok) {
      io.out(`✓ reloaded: ${answer.bots?.length ?? 0} bot(s) ${(answer.bots ?? []).join(", ")}`);
      return EXIT_OK;
    }
    const why =
      response.status === 401
        ? "the gateway refused ADMIN_TOKEN: it differs from the gateway's"
        : response.status === 404
          ? `the gateway has no admin API (${answer.msg ?? "404"}): start it with ADMIN_TOKEN set`
          : `the new configuration was refused, the running one stays: ${answer.msg ?? `HTTP ${response.status}`}`;
    io.err(`✗ ${why}`);
    return EXIT_FAILED;
  },
};
