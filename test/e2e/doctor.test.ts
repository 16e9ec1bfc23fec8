import { describe, expect, it } from "vitest";
import { runCli } from "../integration/cli/larkgate-cli.js";
import { useE2eKit } from "./e2e-kit.js";

const ENCRYPT_KEY = "doctor-encrypt-key";
const ADMIN_TOKEN = "doctor-admin-token";

/**
 * `larkgate check --gateway`: what the running gateway saw of Lark's pushes, told with the
 * console setting to change. The gateway process and the CLI process are both real.
 */
describe("the doctor asks the running gateway (e2e)", () => {
  const kit = useE2eKit({
    encryptKey: ENCRYPT_KEY,
    chatPrefix: "doctor",
    resetEachTest: false,
    env: (k) => ({ ...k.defaultBotEnv(), APP_ENCRYPT_KEY: ENCRYPT_KEY, ADMIN_TOKEN }),
  });
  const check = (env: Record<string, string> = {}) =>
    runCli(["check", "--gateway", kit.gateway.url], {
      env: {
        ...kit.defaultBotEnv(),
        APP_ENCRYPT_KEY: ENCRYPT_KEY,
        ADMIN_TOKEN,
        ...env,
      },
    });

  it("says no push arrived, then which key differs, then that pushes arrive", async () => {
    const before = await check();
    expect(before.stdout).toContain(
      "bot default: no push from Lark in the 0 min since the gateway started",
    );
    expect(before.stdout).toContain("add the event im.message.receive_v1");

    // The console's Encrypt Key differs from the gateway's: Lark signs with another key.
    const forged = await kit.lark.push(kit.webhookUrl(), kit.message("hi"), {
      encryptKey: "the-console-has-another-key",
    });
    expect(forged.status).toBe(401);
    const refused = await check();
    expect(refused.code).toBe(1);
    expect(refused.stdout).toContain(
      "✗ bot default: Lark's last push was refused (bad_signature). The Encrypt Key in the console (Events & Callbacks → Encryption Strategy) differs from the bot's",
    );

    await kit.push(kit.message("hello"));
    const fine = await check();
    expect(fine.stdout).toContain(
      "✓ bot default: 1 push(es) from Lark accepted since the gateway started",
    );

    const chinese = await check({ LANGUAGE: "zh" });
    expect(chinese.stdout).toContain("✓ 机器人 default：网关启动以来已接收 1 次飞书推送");
  });

  it("says so when the admin token is wrong", async () => {
    const wrong = await check({ ADMIN_TOKEN: "not-it" });
    expect(wrong.stdout).toContain("the gateway refused ADMIN_TOKEN");
  });
});
