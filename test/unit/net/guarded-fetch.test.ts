import type { LookupAddress } from "node:dns";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { addressKind } from "../../../src/net/address-kind.js";
import { FetchRefused } from "../../../src/net/fetch-refused.js";
import { type GuardedFetchOptions, guardedFetch } from "../../../src/net/guarded-fetch.js";
import { loadPicture } from "../../../src/net/load-picture.js";
import { createPictureServer, type PictureServer } from "../../kit/picture-server.js";
import { TINY_PNG } from "../../kit/pictures.js";

/** A resolver that answers every name with the given addresses (DNS the test controls). */
function resolvingTo(...addresses: string[]): GuardedFetchOptions["lookup"] {
  const list: LookupAddress[] = addresses.map((address) => ({
    address,
    family: address.includes(":") ? 6 : 4,
  }));
  return ((_host: string, _options: unknown, callback: (e: null, a: LookupAddress[]) => void) =>
    callback(null, list)) as unknown as GuardedFetchOptions["lookup"];
}

async function refusal(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof FetchRefused) return error.reason;
    throw error;
  }
  throw new Error("expected the fetch to be refused");
}

describe("addressKind", () => {
  it.each([
    ["8.8.8.8", "public"],
    ["2606:4700::1111", "public"],
    ["127.0.0.1", "loopback"],
    ["127.8.9.10", "loopback"],
    ["::1", "loopback"],
    ["10.1.2.3", "private"],
    ["172.16.0.1", "private"],
    ["172.31.255.255", "private"],
    ["192.168.1.1", "private"],
    ["169.254.169.254", "private"],
    ["100.64.0.1", "private"],
    ["0.0.0.0", "private"],
    ["fe80::1", "private"],
    ["fd00::1", "private"],
    ["::ffff:10.0.0.1", "private"],
    ["::ffff:7f00:1", "loopback"],
    ["::ffff:8.8.8.8", "public"],
    ["not an address", "private"],
  ])("%s is %s", (address, kind) => {
    expect(addressKind(address)).toBe(kind);
  });
});

describe("guardedFetch", () => {
  let pictures: PictureServer;
  beforeAll(async () => {
    pictures = await createPictureServer();
  });
  afterAll(() => pictures.close());
  beforeEach(() => pictures.reset());

  const loopbackOk = { maxBytes: 1024 * 1024, timeoutMs: 5_000, allowLoopback: true };

  it("fetches from loopback only when tests allow it, and never connects otherwise", async () => {
    const url = pictures.serve("/chart.png", { body: TINY_PNG, contentType: "image/png" });
    expect(await refusal(guardedFetch(url, { maxBytes: 1024, timeoutMs: 5_000 }))).toBe(
      "private_address",
    );
    expect(pictures.requests).toEqual([]);
    expect((await guardedFetch(url, loopbackOk)).data.equals(TINY_PNG)).toBe(true);
  });

  it("refuses a name that resolves to a private address, and one that also does", async () => {
    const url = pictures.serve("/p.png", { body: TINY_PNG }).replace("127.0.0.1", "pics.test");
    const options = { maxBytes: 1024, timeoutMs: 5_000 };
    expect(await refusal(guardedFetch(url, { ...options, lookup: resolvingTo("10.0.0.7") }))).toBe(
      "private_address",
    );
    expect(
      await refusal(
        guardedFetch(url, { ...options, lookup: resolvingTo("93.184.216.34", "169.254.169.254") }),
      ),
    ).toBe("private_address");
    expect(pictures.requests).toEqual([]);
  });

  it("connects to the address it checked (no second resolution), and allows listed hosts", async () => {
    const path = "/internal.png";
    const url = pictures.serve(path, { body: TINY_PNG }).replace("127.0.0.1", "charts.corp");
    const fetched = await guardedFetch(url, {
      maxBytes: 1024,
      timeoutMs: 5_000,
      allowHosts: ["CHARTS.corp"],
      lookup: resolvingTo("127.0.0.1"),
    });
    expect(fetched.data.equals(TINY_PNG)).toBe(true);
    expect(pictures.requests).toEqual([path]);
  });

  it("refuses other schemes, literal private addresses and redirects into them", async () => {
    const options = { maxBytes: 1024, timeoutMs: 5_000 };
    expect(await refusal(guardedFetch("file:///etc/passwd", options))).toBe("scheme");
    expect(await refusal(guardedFetch("ftp://example.com/a.png", options))).toBe("scheme");
    expect(await refusal(guardedFetch("http://[::1]:9/a.png", options))).toBe("private_address");
    expect(await refusal(guardedFetch("http://169.254.169.254/latest", loopbackOk))).toBe(
      "private_address",
    );
    const url = pictures.serve("/hop", {
      body: Buffer.alloc(0),
      redirect: "http://10.0.0.1/x.png",
    });
    expect(await refusal(guardedFetch(url, loopbackOk))).toBe("private_address");
  });

  it("gives up over the size limit and the time limit", async () => {
    const big = pictures.serve("/big.png", { body: Buffer.alloc(4096, 1) });
    expect(await refusal(guardedFetch(big, { ...loopbackOk, maxBytes: 1000 }))).toBe("too_large");
    const slow = pictures.serve("/slow.png", { body: TINY_PNG, delayMs: 2_000 });
    expect(await refusal(guardedFetch(slow, { ...loopbackOk, timeoutMs: 200 }))).toBe("timeout");
  });

  it("follows a redirect it may follow, and stops after too many", async () => {
    pictures.serve("/final.png", { body: TINY_PNG });
    const hop = pictures.serve("/hop.png", { body: Buffer.alloc(0), redirect: "/final.png" });
    expect((await guardedFetch(hop, loopbackOk)).data.equals(TINY_PNG)).toBe(true);
    const loop = pictures.serve("/loop", { body: Buffer.alloc(0), redirect: "/loop" });
    expect(await refusal(guardedFetch(loop, loopbackOk))).toBe("redirects");
  });
});

describe("loadPicture", () => {
  let pictures: PictureServer;
  beforeAll(async () => {
    pictures = await createPictureServer();
  });
  afterAll(() => pictures.close());

  const options = { maxBytes: 1024 * 1024, timeoutMs: 5_000, allowLoopback: true };

  it("judges by the bytes: an HTML page called image/png is refused, a PNG called text is taken", async () => {
    const fake = pictures.serve("/fake.png", {
      body: Buffer.from("<html>login</html>"),
      contentType: "image/png",
    });
    expect(await refusal(loadPicture(fake, options))).toBe("not_image");
    const real = pictures.serve("/real.txt", { body: TINY_PNG, contentType: "text/plain" });
    expect(await loadPicture(real, options)).toEqual({ data: TINY_PNG, mimeType: "image/png" });
  });

  it("decodes a data URL without fetching anything, and refuses one that is not an image", async () => {
    const before = pictures.requests.length;
    const picture = await loadPicture(`data:image/png;base64,${TINY_PNG.toString("base64")}`, {
      maxBytes: 1024,
      timeoutMs: 1,
    });
    expect(picture).toEqual({ data: TINY_PNG, mimeType: "image/png" });
    expect(pictures.requests.length).toBe(before);
    const text = `data:image/png;base64,${Buffer.from("hello").toString("base64")}`;
    expect(await refusal(loadPicture(text, options))).toBe("not_image");
    expect(await refusal(loadPicture("data:image/png,raw", options))).toBe("bad_data_url");
  });
});
