import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { challengeBody } from "../kit/lark-events.js";
import { postgresTestUrl, postgresUnreachable } from "../store/postgres-test-database.js";
import { type PrivatePostgres, startPrivatePostgres } from "../store/private-postgres.js";
import { type E2eKit, useE2eKit } from "./e2e-kit.js";
import { postgresBehindProxy } from "./proxied-postgres.js";

const TOKEN = "metrics-token";
const ENCRYPT_KEY = "metrics-encrypt-key";
const METRICS_TOKEN = "scrape-me-please";

/** `name{labels} value` lines of a Prometheus text page, by series. */
function series(page: string): Map<string, number> {
  const values = new Map<string, number>();
  for (const line of page.split("\n")) {
    if (!line || line.startsWith("#")) continue;
    const at = line.lastIndexOf(" ");
    values.set(line.slice(0, at), Number(line.slice(at + 1)));
  }
  return values;
}

/** Polls an async check every 50 ms until it gives a value, or fails after `timeoutMs`. */
async function eventually<T>(check: () => Promise<T | undefined>, timeoutMs = 5000): Promise<T> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (performance.now() > deadline) throw new Error(`not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function scrape(kit: E2eKit, token = METRICS_TOKEN): Promise<Map<string, number>> {
  const response = await fetch(`${kit.gateway.url}/metrics`, {
    headers: { authorization: `Bearer ${token}` },
  });
  expect(response.status).toBe(200);
  expect(response.headers.get("content-type")).toMatch(/^text\/plain/);
  return series(await response.text());
}

/** Prometheus metrics and readiness of the real gateway process, after scripted traffic. */
describe("metrics and readiness (e2e)", () => {
  const kit = useE2eKit({
    verificationToken: TOKEN,
    encryptKey: ENCRYPT_KEY,
    chatPrefix: "metrics",
    resetEachTest: false,
    env: (k) => ({ ...k.defaultBotEnv(), METRICS_TOKEN }),
  });

  it("counts pushes, events, answers, tokens and Lark calls exactly", async () => {
    await kit.lark.push(kit.webhookUrl(), challengeBody(TOKEN, "c1"), {
      encryptKey: ENCRYPT_KEY,
      sign: false,
    });
    const forged = await kit.lark.push(kit.webhookUrl(), kit.message("forged"), {
      encryptKey: ENCRYPT_KEY,
      forgeSignature: true,
    });
    expect(forged.status).toBe(401);
    kit.llm.setDefault({ text: "fine", usage: { prompt_tokens: 11, completion_tokens: 5 } });
    const first = kit.message("one");
    const second = kit.message("two");
    for (const event of [first, second, first]) expect((await kit.push(event)).status).toBe(200);
    await kit.answersTo(first.event.message.message_id, { card: true });
    await kit.answersTo(second.event.message.message_id, { card: true });
    // The answer is recorded (and counted) just after its card is finished, and its job is
    // marked finished after that.
    const m = await eventually(async () => {
      const m = await scrape(kit);
      const answered = m.get('larkgate_answers_total{bot="default",app="default",outcome="done"}');
      return (answered ?? 0) >= 2 && m.get('larkgate_jobs{state="running"}') === 0 ? m : undefined;
    });
    expect(m.get('larkgate_pushes_total{bot="default",route="event",outcome="challenge"}')).toBe(1);
    expect(
      m.get('larkgate_pushes_total{bot="default",route="event",outcome="rejected_bad_signature"}'),
    ).toBe(1);
    expect(m.get('larkgate_pushes_total{bot="default",route="event",outcome="acked"}')).toBe(3);
    expect(m.get('larkgate_events_total{bot="default",event="message",outcome="accepted"}')).toBe(
      2,
    );
    expect(m.get('larkgate_events_total{bot="default",event="message",outcome="duplicate"}')).toBe(
      1,
    );
    expect(m.get('larkgate_ack_seconds_count{route="event"}')).toBe(5);
    expect(m.get("larkgate_store_commit_seconds_count")).toBe(3);
    expect(m.get('larkgate_answers_total{bot="default",app="default",outcome="done"}')).toBe(2);
    expect(m.get('larkgate_llm_first_text_seconds_count{bot="default",app="default"}')).toBe(2);
    expect(m.get('larkgate_tokens_total{bot="default",app="default",direction="in"}')).toBe(22);
    expect(m.get('larkgate_tokens_total{bot="default",app="default",direction="out"}')).toBe(10);
    // One card and one reply per answer, as the fake Lark saw them.
    expect(m.get('larkgate_lark_calls_total{bot="default",operation="reply",code="0"}')).toBe(
      kit.lark.callsTo("/open-apis/im/v1/messages/:message_id/reply").length,
    );
    expect(m.get('larkgate_lark_calls_total{bot="default",operation="card create",code="0"}')).toBe(
      2,
    );
    expect(m.get('larkgate_delivery_mode{bot="default",mode="cardkit"}')).toBe(1);
    expect(m.get('larkgate_jobs{state="queued"}')).toBe(0);
    expect(m.get('larkgate_jobs{state="running"}')).toBe(0);
  });

  it("counts Lark's refusals by code and the retries they cost", async () => {
    kit.lark.inject({
      path: "/open-apis/cardkit/v1/cards",
      method: "POST",
      code: 99991400,
      times: 1,
      headers: { "x-ogw-ratelimit-reset": "0" },
    });
    const event = kit.message("three");
    await kit.push(event);
    await kit.answersTo(event.event.message.message_id, { card: true });
    const m = await scrape(kit);
    expect(
      m.get('larkgate_lark_calls_total{bot="default",operation="card create",code="99991400"}'),
    ).toBe(1);
    expect(
      m.get(
        'larkgate_lark_retries_total{bot="default",operation="card create",reason="rate_limited"}',
      ),
    ).toBe(1);
  });

  it("exports every series the Grafana dashboard in docs/ draws", async () => {
    const dashboard = JSON.parse(
      readFileSync(new URL("../../docs/grafana/larkgate-dashboard.json", import.meta.url), "utf8"),
    ) as { panels: Array<{ targets: Array<{ expr: string }> }> };
    const page = await (
      await fetch(`${kit.gateway.url}/metrics`, {
        headers: { authorization: `Bearer ${METRICS_TOKEN}` },
      })
    ).text();
    const exported = new Set([...page.matchAll(/^# TYPE (\S+) /gm)].map((m) => m[1]));
    const drawn = dashboard.panels.flatMap((p) =>
      p.targets.flatMap((t) => [...t.expr.matchAll(/\blarkgate_[a-z_]+/g)].map((m) => m[0])),
    );
    expect(drawn.length).toBeGreaterThan(10);
    for (const name of drawn) {
      expect(exported, name).toContain(name.replace(/_(bucket|count|sum)$/, ""));
    }
  });

  it("asks for the metrics token, and says the gateway is ready", async () => {
    expect((await fetch(`${kit.gateway.url}/metrics`)).status).toBe(401);
    const wrong = await fetch(`${kit.gateway.url}/metrics`, {
      headers: { authorization: "Bearer nope" },
    });
    expect(wrong.status).toBe(401);
    const ready = await fetch(`${kit.gateway.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({
      ready: true,
      checks: { store: { ok: true }, "bot default: credentials": { ok: true } },
    });
  });
});

const unreachable = await postgresUnreachable(postgresTestUrl);

describe.skipIf(Boolean(unreachable))("readiness on PostgreSQL (e2e)", () => {
  // The gateway reaches PostgreSQL through a relay the test can cut.
  const postgres = postgresBehindProxy();
  const kit = useE2eKit({ chatPrefix: "ready", database: postgres.database });

  const readiness = async () => {
    const response = await fetch(`${kit.gateway.url}/readyz`);
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };

  it("turns not ready while PostgreSQL cannot be reached, and ready again when it can", async () => {
    expect((await readiness()).status).toBe(200);
    postgres.proxy().cut();
    const down = await eventually(async () => {
      const r = await readiness();
      return r.status === 503 ? r : undefined;
    });
    expect(JSON.stringify(down.body)).toMatch(/the postgres database does not answer/);
    postgres.proxy().restore();
    await eventually(async () => ((await readiness()).status === 200 ? true : undefined), 15_000);
    // And it answers again.
    const event = kit.message("after the outage");
    await kit.push(event);
    await kit.answersTo(event.event.message.message_id);
  });
});

const privatePostgres = await startPrivatePostgres();
if (typeof privatePostgres === "string" && process.env.CI) {
  throw new Error(`CI must be able to run a private PostgreSQL: ${privatePostgres}`);
}

describe.skipIf(typeof privatePostgres === "string")(
  "readiness across a real PostgreSQL restart (e2e)",
  () => {
    const server = privatePostgres as PrivatePostgres;
    const kit = useE2eKit({
      chatPrefix: "restart",
      database: { create: async () => server.url, dropAll: async () => server.destroy() },
    });
    const status = async () => (await fetch(`${kit.gateway.url}/readyz`)).status;

    it("is not ready while the server is down, ready when it is back, and answers again", async () => {
      expect(await status()).toBe(200);
      server.stop();
      expect(await status()).toBe(503);
      server.start();
      await eventually(async () => ((await status()) === 200 ? true : undefined), 15_000);
      const event = kit.message("after the restart");
      await kit.push(event);
      await kit.answersTo(event.event.message.message_id);
    });
  },
);
