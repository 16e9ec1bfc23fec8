import { lookup as dnsLookup, type LookupAddress } from "node:dns";
import * as http from "node:http";
import * as https from "node:https";
import { isIP, type LookupFunction } from "node:net";
import { addressKind } from "./address-kind.js";
import { FetchRefused } from "./fetch-refused.js";

export interface GuardedFetchOptions {
  /** More bytes than this and the fetch is given up. */
  maxBytes: number;
  /** The whole fetch, redirects included, must end within this long. */
  timeoutMs: number;
  /**
   * Host names (or literal addresses) fetched even when they resolve to a private address: the
   * operator's own picture servers on the internal network. Matched exactly, case-insensitive.
   */
  allowHosts?: readonly string[];
  /** This machine's own addresses are fetched too. Tests only (the config refuses it elsewhere). */
  allowLoopback?: boolean;
  /** Redirects followed, each one checked like the first URL. Default 3. */
  maxRedirects?: number;
  /** Name resolution (tests resolve names to addresses of their choosing). */
  lookup?: typeof dnsLookup;
}

export interface Fetched {
  data: Buffer;
  /** The server's `content-type`, for what it is worth (callers sniff the bytes). */
  contentType?: string;
  /** Where the bytes came from after redirects. */
  url: string;
}

/**
 * A GET that cannot be turned against the gateway's own network: http(s) only, every address a
 * name resolves to checked before connecting (and the connection made to the address checked,
 * so a name cannot resolve differently a moment later), no private, loopback or link-local
 * address unless the host is allowed, a byte and a time limit, redirects checked the same way.
 * Never goes through HTTP(S)_PROXY: a proxy would resolve names where we cannot check them.
 *
 * @example
 * const { data } = await guardedFetch("https://example.com/chart.png", { maxBytes: 10 << 20, timeoutMs: 15_000 });
 */
export async function guardedFetch(
  url: string,
  options: GuardedFetchOptions,
  signal?: AbortSignal,
): Promise<Fetched> {
  const deadline = AbortSignal.timeout(options.timeoutMs);
  const abort = signal ? AbortSignal.any([signal, deadline]) : deadline;
  let current = url;
  for (let redirects = 0; ; redirects++) {
    const answer = await getOnce(current, options, abort, deadline);
    if (answer.location === undefined) return answer;
    if (redirects >= (options.maxRedirects ?? 3)) {
      throw new FetchRefused("redirects", `${hostOf(url)} redirected too many times`);
    }
    current = answer.location;
  }
}

type Answer = Fetched & { location?: string };

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return "the link";
  }
}

function getOnce(
  url: string,
  options: GuardedFetchOptions,
  signal: AbortSignal,
  deadline: AbortSignal,
): Promise<Answer> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return Promise.reject(new FetchRefused("scheme", "not a URL"));
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:") {
    return Promise.reject(new FetchRefused("scheme", `${parsed.protocol} links are not fetched`));
  }
  const host = parsed.hostname.replace(/^\[|\]$/g, "");
  const allowed = (options.allowHosts ?? []).some((h) => h.toLowerCase() === host.toLowerCase());
  const check = (address: string): FetchRefused | undefined => {
    if (allowed) return undefined;
    const kind = addressKind(address);
    if (kind === "public" || (kind === "loopback" && options.allowLoopback)) return undefined;
    return new FetchRefused(
      "private_address",
      `${parsed.host} is a ${kind} address (${address}); add it to the app's pictureHosts if it is a trusted internal server`,
    );
  };
  if (isIP(host)) {
    const refused = check(host);
    if (refused) return Promise.reject(refused);
  }
  const lookup: LookupFunction = (hostname, lookupOptions, callback) => {
    (options.lookup ?? dnsLookup)(hostname, { all: true }, (error, addresses) => {
      if (error) return callback(error, "", 4);
      const list = addresses as unknown as LookupAddress[];
      // Every address must pass: a name that also resolves privately is not fetched at all.
      const refused = list.length === 0 ? new FetchRefused("network", "no address") : undefined;
      const bad = refused ?? list.map((a) => check(a.address)).find(Boolean);
      if (bad) return callback(bad, "", 4);
      if (lookupOptions.all) {
        (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, list);
      } else {
        callback(null, list[0]!.address, list[0]!.family);
      }
    });
  };

  return new Promise<Answer>((resolve, reject) => {
    const client = parsed.protocol === "https:" ? https : http;
    const request = client.get(
      parsed,
      { lookup, signal, headers: { accept: "image/*,*/*;q=0.5", "user-agent": "larkgate" } },
      (response) => {
        const status = response.statusCode ?? 0;
        if (status >= 300 && status < 400 && response.headers.location) {
          response.resume();
          resolve({
            data: Buffer.alloc(0),
            url,
            location: new URL(response.headers.location, parsed).toString(),
          });
          return;
        }
        if (status < 200 || status >= 300) {
          response.resume();
          reject(new FetchRefused("status", `${parsed.host} answered HTTP ${status}`));
          return;
        }
        const declared = Number(response.headers["content-length"]);
        if (Number.isFinite(declared) && declared > options.maxBytes) {
          response.destroy();
          reject(tooLarge(parsed.host, options.maxBytes));
          return;
        }
        const chunks: Buffer[] = [];
        let size = 0;
        response.on("data", (chunk: Buffer) => {
          size += chunk.length;
          if (size > options.maxBytes) {
            response.destroy(tooLarge(parsed.host, options.maxBytes));
            return;
          }
          chunks.push(chunk);
        });
        response.on("error", (error) => reject(classify(error, parsed.host, deadline)));
        response.on("end", () => {
          const contentType = response.headers["content-type"];
          resolve({ data: Buffer.concat(chunks), url, ...(contentType ? { contentType } : {}) });
        });
      },
    );
    request.on("error", (error) => reject(classify(error, parsed.host, deadline)));
  });
}

function tooLarge(host: string, maxBytes: number): FetchRefused {
  return new FetchRefused("too_large", `${host} sent more than ${Math.round(maxBytes / 1024)} KB`);
}

function classify(error: unknown, host: string, deadline: AbortSignal): FetchRefused {
  if (error instanceof FetchRefused) return error;
  if (deadline.aborted) return new FetchRefused("timeout", `${host} took too long`);
  const message = error instanceof Error ? error.message : String(error);
  return new FetchRefused("network", `${host} could not be reached: ${message}`, { cause: error });
}
