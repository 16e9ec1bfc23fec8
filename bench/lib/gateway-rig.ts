import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { createFakeLark, type FakeLark } from "../../test/kit/fake-lark.js";
import { createFakeLlm, type FakeLlm } from "../../test/kit/fake-llm.js";
import { type ChildServer, startChildServer } from "./child-server.js";
import { BENCH_ENCRYPT_KEY, BENCH_VERIFICATION_TOKEN } from "./signed-push.js";

/** The gateway as `npm start` runs it, compiled next to the bench (dist-bench/src/main.js). */
const GATEWAY_MAIN = fileURLToPath(new URL("../../src/main.js", import.meta.url));

export interface GatewayRig {
  lark: FakeLark;
  llm: FakeLlm;
  gateway: ChildServer;
  /** `http://…/webhook/event` of the default bot. */
  webhookUrl: string;
  databasePath: string;
  /** Stops the gateway (answers in flight are cut off at the fake LLM), then the fakes. */
  close(): Promise<void>;
}

export interface GatewayRigOptions {
  /** Scratch directory: the gateway's working directory, log file and (default) database. */
  dir: string;
  /** Extra environment (WORKER_CONCURRENCY, LOG_LEVEL…). */
  env?: Record<string, string>;
  databasePath?: string;
  /** Configure the fakes before the gateway starts (e.g. a hanging LLM). */
  prepare?: (fakes: { lark: FakeLark; llm: FakeLlm }) => void;
  /** Node flags for the gateway process (profiling). */
  nodeArgs?: string[];
}

/**
 * Fake Lark and fake LLM in this process, the real gateway in its own, pointed at both, with
 * webhook encryption and verification on. Logs go to `<dir>/gateway.log` at the default level.
 */
export async function startGatewayRig(options: GatewayRigOptions): Promise<GatewayRig> {
  // Lark's own rate limits stay on: a gateway that broke them would pay for it here too.
  const lark = await createFakeLark();
  let llm: FakeLlm | undefined;
  let gateway: ChildServer;
  const databasePath = options.databasePath ?? join(options.dir, "larkgate.db");
  try {
    llm = await createFakeLlm();
    options.prepare?.({ lark, llm });
    gateway = await startChildServer({
      script: GATEWAY_MAIN,
      cwd: options.dir,
      logPath: join(options.dir, "gateway.log"),
      readyMsg: "larkgate listening",
      nodeArgs: options.nodeArgs,
      env: {
        PATH: process.env.PATH ?? "",
        HTTP_HOST: "127.0.0.1",
        HTTP_PORT: "0",
        LOG_LEVEL: "info",
        APP_ID: lark.app.appId,
        APP_SECRET: lark.app.appSecret,
        APP_ENCRYPT_KEY: BENCH_ENCRYPT_KEY,
        APP_VERIFICATION_TOKEN: BENCH_VERIFICATION_TOKEN,
        LARK_DOMAIN: lark.url,
        OPENAI_KEY: llm.apiKey,
        OPENAI_BASE_URL: llm.url,
        OPENAI_MODEL: "fake-model",
        DATABASE_URL: `sqlite:${databasePath}`,
        ...options.env,
      },
    });
  } catch (error) {
    await llm?.close();
    await lark.close();
    throw error;
  }
  const fakeLlm = llm;
  let closing: Promise<void> | undefined;
  return {
    lark,
    llm: fakeLlm,
    gateway,
    webhookUrl: `${gateway.url}/webhook/event`,
    databasePath,
    close() {
      closing ??= (async () => {
        const stopped = gateway.stop();
        // Cuts off answers still waiting for the LLM, so the gateway's shutdown does not wait.
        await fakeLlm.close();
        await stopped;
        await lark.close();
      })();
      return closing;
    },
  };
}
