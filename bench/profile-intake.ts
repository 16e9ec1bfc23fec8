import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startGatewayRig } from "./lib/gateway-rig.js";
import { runLoad } from "./lib/run-load.js";
import { messagePushes } from "./lib/signed-push.js";

/** Not a benchmark: profiles the gateway under intake load (`--cpu-prof` into PROFILE_DIR). */
const dir = mkdtempSync(join(tmpdir(), "larkgate-profile-"));
const rig = await startGatewayRig({
  dir,
  env: { WORKER_CONCURRENCY: "1" },
  prepare: ({ llm }) => llm.setDefault({ hang: true }),
  nodeArgs: ["--cpu-prof", `--cpu-prof-dir=${process.env.PROFILE_DIR ?? dir}`],
});
try {
  const pushes = messagePushes(40_000, rig.lark.app.appId);
  const result = await runLoad({ url: rig.webhookUrl, pushes, connections: 32 });
  console.log(JSON.stringify({ ok: result.ok }));
} finally {
  await rig.close();
}
