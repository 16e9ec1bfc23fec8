import * as lark from "@larksuiteoapi/node-sdk";
import { describe, expect, it } from "vitest";
import { encryptLarkPayload, signLarkRequest, signLegacyCard } from "./lark-crypto.js";

// Vectors from the protocol reference §3.6 (official docs and values checked against the SDK).
describe("lark-crypto", () => {
  it("reproduces the official doc ciphertext for 'hello world'", () => {
    const iv = Buffer.from("3f7ef0f9564898d80f10ed5106127a46", "hex");
    expect(encryptLarkPayload("test key", "hello world", iv)).toBe(
      "P37w+VZImNgPEO1RBhJ6RtKl7n6zymIbEG1pReEzghk=",
    );
  });

  it("reproduces the zero-IV challenge vector", () => {
    const plaintext =
      '{"challenge":"ajls384kdjx98XX","token":"vtoken123","type":"url_verification"}';
    expect(encryptLarkPayload("test key", plaintext, Buffer.alloc(16))).toBe(
      "AAAAAAAAAAAAAAAAAAAAAD6N0hj9vF9ERgmsJVWf4XdSLLbFMTD3bWObfgjFzYm3/liW3BtvcmP8Oh+n8OvgE2PdZB8kAXbEZcqD+bwF32AU9RJg2iasP3udqhWDlZHF",
    );
  });

  it("uses a fresh IV per call, and the SDK's decryptor reads the result", () => {
    const plaintext = JSON.stringify({ schema: "2.0", text: "你好, world" });
    const a = encryptLarkPayload("k3y", plaintext);
    const b = encryptLarkPayload("k3y", plaintext);
    expect(a).not.toBe(b);
    expect(new lark.AESCipher("k3y").decrypt(a)).toBe(plaintext);
  });

  it("signs requests as X-Lark-Signature expects", () => {
    const body = '{"encrypt":"P37w+VZImNgPEO1RBhJ6RtKl7n6zymIbEG1pReEzghk="}';
    expect(signLarkRequest("1700000000", "abc123", "test key", body)).toBe(
      "69c61fa99760d59824d588297c0036194769fb54331682c9cbcd93e85b9a8aad",
    );
  });

  it("signs legacy card callbacks with SHA-1 over the verification token", () => {
    const body =
      '{"open_id":"ou_x","open_message_id":"om_x","tenant_key":"t","token":"c-x","action":{"value":{"k":"v"},"tag":"button"}}';
    expect(signLegacyCard("1700000000", "abc123", "vtoken123", body)).toBe(
      "89fd2201f82bc445d108f3a10a6e1c712df1a83b",
    );
  });
});
