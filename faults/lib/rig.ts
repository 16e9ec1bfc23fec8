import { randomBytes } from "node:crypto";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { type ChildServer, startChildServer } from "../../bench/lib/child-server.js";
import { createStore } from "../../src/store/create-store.js";
import type { Store } from "../../src/store/store.js";
import { createFakeLark, type FakeLark } from "../../test/kit/fake-lark.js";
import { createFakeLlm, type FakeLlm, type LlmScript } from "../../test/kit/fake-llm.js";
import { messageEvent } from "../../test/kit/lark-events.js";

const GATEWAY_MAIN = fileURLToPath(new URL("../../src/main.js", import.meta.url));
export const POSTGRES_URL =
  process.env.LARKGATE_TEST_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/test";

export type StoreKind = "sqlite" | "postgres";

/** Every secret a scenario configures: the suite greps every log it produced for each. */
export interface Secrets {
  appSecret: string;
  encryptKey: string;
  verificationToken: string;
  llmKey: string;
  adminToken: string;
  metricsToken: string;
}

/** The words every answer of the default model ends with, so a cut answer is told apart. */
export function answerEnd(question: string): string {
  return `END(${question})`;
}

/**
 * The fakes, one database and the gateway processes of a scenario. Gateways are real
 * `node dist/src/main.js` processes; their logs go to files under `dir`, kept for the secret scan.
 */
export interface Rig {
  lark: FakeLark;
  llm: FakeLlm;
  secrets: Secrets;
  databaseUrl: string;
  dir: string;
  /** Every log file a gateway of this rig wrote. */
  logFiles: string[];
  start(extraEnv?: Record<string, string>, options?: { nodeArgs?: string[] }): Promise<ChildServer>;
  /** A p2p message of user `user`, signed and encrypted as Lark sends it. */
  message(text: string, user: number): ReturnType<typeof messageEvent>;
  /** How pushes were answered: HTTP status (0: no answer within Lark's 3 s, or refused). */
  pushStatuses: Map<number, number>;
  /** Pushes until a gateway acknowledges with 200, as Lark re-delivers (here without waiting hours). */
  deliver(gateway: () => { url: string }, envelope: object, path?: string): Promise<number>;
  openStore(): Promise<Store>;
  close(): Promise<void>;
}

export async function createRig(
  dir: string,
  kind: StoreKind,
  options: {
    chunkDelayMs?: number;
    chunks?: number;
    /** The gateways reach the database through this port on 127.0.0.1 (a TCP proxy). */
    databasePort?: number;
    /** The PostgreSQL server to use instead of LARKGATE_TEST_POSTGRES_URL's (one it restarts). */
    postgresUrl?: string;
    /** Where the SQLite file lives, when not beside the logs in `dir` (a small disk). */
    databaseDir?: string;
    /** A scripted misbehaviour for some questions; the others get the default answer. */
    special?: (question: string) => LlmScript | undefined;
  } = {},
): Promise<Rig> {
  mkdirSync(dir, { recursive: true });
  const lark = await createFakeLark();
  const llm = await createFakeLlm();
  const chunkCount = options.chunks ?? 8;
  llm.setDefault((body) => {
    const messages = (body as { messages?: Array<{ content?: unknown }> }).messages ?? [];
    const question = String(messages.at(-1)?.content ?? "");
    const special = options.special?.(question);
    if (special) return special;
    return {
      chunks: [
        ...Array.from({ length: chunkCount }, (_, i) => `part ${i} of the answer to ${question}. `),
        answerEnd(question),
      ],
      chunkDelayMs: options.chunkDelayMs ?? 15,
    };
  });
  const secrets: Secrets = {
    appSecret: lark.app.appSecret,
    encryptKey: `ek${randomBytes(12).toString("hex")}`,
    verificationToken: `vt${randomBytes(12).toString("hex")}`,
    llmKey: llm.apiKey,
    adminToken: `adm${randomBytes(12).toString("hex")}`,
    metricsToken: `met${randomBytes(12).toString("hex")}`,
  };
  const database = await prepareDatabase(kind, options.databaseDir ?? dir, options.postgresUrl);
  let gatewayDatabaseUrl = database.url;
  if (options.databasePort !== undefined) {
    const viaProxy = new URL(database.url);
    viaProxy.hostname = "127.0.0.1";
    viaProxy.port = String(options.databasePort);
    gatewayDatabaseUrl = viaProxy.toString();
  }
  const pushStatuses = new Map<number, number>();
  const gateways: ChildServer[] = [];
  const logFiles: string[] = [];
  let started = 0;

  return {
    lark,
    llm,
    secrets,
    databaseUrl: database.url,
    dir,
    logFiles,
    pushStatuses,
    async start(extraEnv = {}, startOptions = {}) {
      const logPath = join(dir, `gateway-${++started}.log`);
      logFiles.push(logPath);
      const gateway = await startChildServer({
        script: GATEWAY_MAIN,
        ...(startOptions.nodeArgs ? { nodeArgs: startOptions.nodeArgs } : {}),
        cwd: dir,
        logPath,
        readyMsg: "larkgate listening",
        timeoutMs: 30_000,
        env: {
          PATH: process.env.PATH ?? "",
          HTTP_HOST: "127.0.0.1",
          HTTP_PORT: "0",
          LOG_LEVEL: "debug",
          APP_ID: lark.app.appId,
          APP_SECRET: secrets.appSecret,
          APP_ENCRYPT_KEY: secrets.encryptKey,
          APP_VERIFICATION_TOKEN: secrets.verificationToken,
          LARK_DOMAIN: lark.url,
          OPENAI_KEY: secrets.llmKey,
          OPENAI_BASE_URL: llm.url,
          ADMIN_TOKEN: secrets.adminToken,
          METRICS_TOKEN: secrets.metricsToken,
          DATABASE_URL: gatewayDatabaseUrl,
          WORKER_CONCURRENCY: "16",
          ...extraEnv,
        },
      });
      gateways.push(gateway);
      return gateway;
    },
    message(text, user) {
      return messageEvent({
        appId: lark.app.appId,
        token: secrets.verificationToken,
        chatId: `oc_fault_user_${user}`,
        chatType: "p2p",
        senderOpenId: `ou_fault_${user}`,
        text,
      });
    },
    async deliver(gateway, envelope, path = "event") {
      for (let attempt = 1; ; attempt++) {
        const target = gateway();
        const pushed = await lark.push(`${target.url}/webhook/${path}`, envelope, {
          encryptKey: secrets.encryptKey,
          timeoutMs: 3_000,
        });
        pushStatuses.set(pushed.status, (pushStatuses.get(pushed.status) ?? 0) + 1);
        if (pushed.status === 200) return attempt;
        if (attempt >= 200)
          throw new Error(`no gateway acknowledged a push after ${attempt} tries`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    },
    openStore: () => createStore(database.url),
    async close() {
      await Promise.all(gateways.map((g) => g.stop(5_000)));
      await llm.close();
      await lark.close();
      await database.drop();
    },
  };
}

async function prepareDatabase(kind: StoreKind, dir: string, server = POSTGRES_URL) {
  if (kind === "sqlite") {
    return { url: `sqlite:${join(dir, "larkgate.db")}`, drop: async () => {} };
  }
  const schema = `faults_${randomBytes(5).toString("hex")}`;
  await withPg((c) => c.query(`create schema ${schema}`), server);
  const url = new URL(server);
  url.searchParams.set("options", `-c search_path=${schema}`);
  return {
    url: url.toString(),
    drop: () =>
      withPg((c) => c.query(`drop schema ${schema} cascade`), server).then(() => undefined),
  };
}

export async function withPg<T>(
  fn: (client: pg.Client) => Promise<T>,
  server = POSTGRES_URL,
): Promise<T> {
  const client = new pg.Client({ connectionString: server, connectionTimeoutMillis: 3000 });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

export async function postgresReachable(): Promise<boolean> {
  return withPg(async () => true).catch(() => false);
}
