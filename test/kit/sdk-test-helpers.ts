import * as lark from "@larksuiteoapi/node-sdk";
import type { FakeApp, FakeLark } from "./fake-lark.js";

const silent = { error() {}, warn() {}, info() {}, debug() {}, trace() {} };

/** A real SDK client pointed at the fake, with its own token cache (the default one is global). */
export function sdkClient(fake: FakeLark, app: FakeApp = fake.app): lark.Client {
  return new lark.Client({
    appId: app.appId,
    appSecret: app.appSecret,
    domain: fake.url,
    cache: new lark.DefaultCache(),
    disableTokenCache: false,
    logger: silent,
  });
}

export interface LarkFailure {
  status: number;
  code: number;
  msg: string;
  headers: Record<string, string>;
}

interface AxiosLikeResponse {
  status: number;
  data?: { code?: number; msg?: string };
  headers: Record<string, string>;
}

/** Awaits an SDK call that must fail with an HTTP error, and returns what Lark answered. */
export async function larkFailure(call: Promise<unknown>): Promise<LarkFailure> {
  try {
    await call;
  } catch (error) {
    const response = (error as { response?: AxiosLikeResponse }).response;
    if (!response) throw error;
    return {
      status: response.status,
      code: response.data?.code ?? Number.NaN,
      msg: response.data?.msg ?? "",
      headers: response.headers,
    };
  }
  throw new Error("expected the Lark call to fail, but it succeeded");
}

export const textContent = (text: string) => JSON.stringify({ text });
