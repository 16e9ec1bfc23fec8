import { Readable } from "node:stream";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { Exchange } from "../store/store.js";
import { csvHeader, csvRow, jsonlLine } from "./chat-log-export.js";
import { type ChatLogParams, chatLogQuery, FilterError } from "./chat-log-filter.js";
import { type ConsolePage, consolePage } from "./console-layout.js";
import { type ConsoleRoutesOptions, consoleOf, sendPage } from "./console-request.js";
import { type Html, html } from "./html.js";
import { botsPage } from "./pages/bots-page.js";
import { chatLogPage } from "./pages/chat-log-page.js";
import { configPage } from "./pages/config-page.js";
import { threadPage } from "./pages/thread-page.js";
import { usagePage } from "./pages/usage-page.js";

type Guard = (request: FastifyRequest, reply: FastifyReply) => Promise<unknown>;

const PAGE_ROWS = 50;
/** Exports are read this many rows per query, so a large log never sits in memory at once. */
const EXPORT_BATCH = 1000;
const DAY_MS = 86_400_000;

/** The console's pages and API, each behind the session guard. */
export function consolePages(app: FastifyInstance, guard: Guard, options: ConsoleRoutesOptions) {
  const page = (
    request: FastifyRequest,
    reply: FastifyReply,
    current: ConsolePage | undefined,
    title: string,
    body: Html,
  ) => {
    const { t, lang, csrf } = consoleOf(request);
    return sendPage(reply, consolePage({ t, lang, title, current, csrf, body }));
  };

  app.get("/console", { preHandler: guard }, async (_request, reply) =>
    reply.redirect("/console/bots", 303),
  );

  const recentErrors = async () => {
    const errors = new Map<string, Exchange[]>();
    for (const bot of options.bots()) {
      errors.set(
        bot.id,
        await options.store.searchChatLog({ botId: bot.id, errorsOnly: true, limit: 5 }),
      );
    }
    return errors;
  };

  app.get("/console/bots", { preHandler: guard }, async (request, reply) => {
    const { t } = consoleOf(request);
    const base = options.config().publicUrl ?? `${request.protocol}://${request.host}`;
    return page(
      request,
      reply,
      "bots",
      t("console.nav.bots"),
      botsPage(t, options.bots(), base, await recentErrors()),
    );
  });
  app.get("/console/api/bots", { preHandler: guard }, async () => ({ bots: options.bots() }));

  app.get("/console/chat-log", { preHandler: guard }, async (request, reply) => {
    const { t } = consoleOf(request);
    const params = request.query as ChatLogParams;
    const bots = options.bots().map((b) => b.id);
    let rows: Exchange[] = [];
    let error: string | undefined;
    try {
      rows = await options.store.searchChatLog(chatLogQuery(params, PAGE_ROWS + 1));
    } catch (cause) {
      if (!(cause instanceof FilterError)) throw cause;
      error = t("console.chat.bad_filter", { field: t(`console.chat.${cause.field}`) });
      reply.code(400);
    }
    const more = rows.length > PAGE_ROWS;
    return page(
      request,
      reply,
      "chat-log",
      t("console.nav.chat_log"),
      chatLogPage({
        t,
        params,
        bots,
        rows: rows.slice(0, PAGE_ROWS),
        more,
        ...(error ? { error } : {}),
      }),
    );
  });

  app.get("/console/api/chat-log", { preHandler: guard }, async (request, reply) => {
    try {
      const rows = await options.store.searchChatLog(
        chatLogQuery(request.query as ChatLogParams, PAGE_ROWS),
      );
      return { exchanges: rows };
    } catch (cause) {
      if (!(cause instanceof FilterError)) throw cause;
      return reply.code(400).send({
        code: "bad_filter",
        msg: `${cause.field}: use YYYY-MM-DD or YYYY-MM-DD HH:MM (UTC)`,
      });
    }
  });

  for (const format of ["jsonl", "csv"] as const) {
    app.get(`/console/api/chat-log.${format}`, { preHandler: guard }, async (request, reply) => {
      let query: ReturnType<typeof chatLogQuery>;
      try {
        query = chatLogQuery(request.query as ChatLogParams, EXPORT_BATCH);
      } catch (cause) {
        if (!(cause instanceof FilterError)) throw cause;
        return reply.code(400).send({ code: "bad_filter", msg: `${cause.field} is not a time` });
      }
      const store = options.store;
      async function* lines() {
        if (format === "csv") yield csvHeader();
        let before = query.beforeId;
        for (;;) {
          const rows = await store.searchChatLog({
            ...query,
            ...(before ? { beforeId: before } : {}),
          });
          for (const row of rows) yield format === "csv" ? csvRow(row) : jsonlLine(row);
          if (rows.length < EXPORT_BATCH) return;
          before = rows.at(-1)!.id;
        }
      }
      const stamp = new Date().toISOString().slice(0, 10);
      return reply
        .type(format === "csv" ? "text/csv; charset=utf-8" : "application/x-ndjson; charset=utf-8")
        .header(
          "content-disposition",
          `attachment; filename="larkgate-chat-log-${stamp}.${format}"`,
        )
        .send(Readable.from(lines()));
    });
  }

  app.get("/console/chat-log/:id", { preHandler: guard }, async (request, reply) => {
    const { t } = consoleOf(request);
    const id = Number((request.params as { id: string }).id);
    const exchange = Number.isInteger(id) ? await options.store.getExchange(id) : undefined;
    if (!exchange) {
      reply.code(404);
      return page(
        request,
        reply,
        "chat-log",
        t("console.nav.chat_log"),
        notFound(
          t("console.thread.not_found", { id: String((request.params as { id: string }).id) }),
        ),
      );
    }
    const thread = await options.store.listExchanges({
      botId: exchange.botId,
      conversationKey: exchange.conversationKey,
      limit: 200,
    });
    const shown = thread.some((e) => e.id === exchange.id) ? thread : [...thread, exchange];
    return page(
      request,
      reply,
      "chat-log",
      t("console.thread.title", { key: exchange.conversationKey }),
      threadPage(t, shown, exchange.id),
    );
  });

  const usage = async (daysParam: unknown) => {
    const days = Math.min(90, Math.max(1, Number(daysParam) || 14));
    const today = Math.floor(Date.now() / DAY_MS) * DAY_MS;
    const since = today - (days - 1) * DAY_MS;
    const dayList = Array.from({ length: days }, (_, i) =>
      new Date(since + i * DAY_MS).toISOString().slice(0, 10),
    );
    return { days, dayList, rows: await options.store.usageByDay(since) };
  };
  app.get("/console/usage", { preHandler: guard }, async (request, reply) => {
    const { t } = consoleOf(request);
    const { days, dayList, rows } = await usage((request.query as { days?: string }).days);
    return page(request, reply, "usage", t("console.nav.usage"), usagePage(t, days, rows, dayList));
  });
  app.get("/console/api/usage", { preHandler: guard }, async (request) => {
    const { days, rows } = await usage((request.query as { days?: string }).days);
    return { days, usage: rows };
  });

  app.get("/console/config", { preHandler: guard }, async (request, reply) => {
    const { t, csrf } = consoleOf(request);
    return page(
      request,
      reply,
      "config",
      t("console.nav.config"),
      configPage(t, options.config(), csrf),
    );
  });
  app.get("/console/api/config", { preHandler: guard }, async () => options.config());

  const reload = async (): Promise<
    { ok: true; bots: string[] } | { ok: false; reason: string }
  > => {
    try {
      return { ok: true, ...(await options.reload()) };
    } catch (error) {
      return { ok: false, reason: error instanceof Error ? error.message : String(error) };
    }
  };
  app.post("/console/config/reload", { preHandler: guard }, async (request, reply) => {
    const { t, csrf } = consoleOf(request);
    const result = await reload();
    options.logger.info({ ok: result.ok }, "configuration reloaded from the console");
    if (!result.ok) reply.code(400);
    return page(
      request,
      reply,
      "config",
      t("console.nav.config"),
      configPage(t, options.config(), csrf, result),
    );
  });
  app.post("/console/api/reload", { preHandler: guard }, async (_request, reply) => {
    const result = await reload();
    return reply.code(result.ok ? 200 : 400).send(result);
  });
}

function notFound(text: string): Html {
  return html`<p class="notice">${text}</p>`;
}
