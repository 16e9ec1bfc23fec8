import { startTcpProxy, type TcpProxy } from "../kit/tcp-proxy.js";
import { createSchemaFactory, postgresTestUrl } from "../store/postgres-test-database.js";

/**
 * A fresh PostgreSQL schema that the gateways reach through a relay the test can cut, for
 * `useE2eKit({ database })`; `proxy()` is the relay once the kit has started.
 */
export function postgresBehindProxy() {
  let relay: TcpProxy | undefined;
  const schemas = createSchemaFactory(postgresTestUrl);
  return {
    proxy(): TcpProxy {
      if (!relay) throw new Error("the relay starts with the kit (beforeAll)");
      return relay;
    },
    database: {
      async create() {
        const url = new URL(await schemas.create());
        relay = await startTcpProxy({ host: url.hostname, port: Number(url.port || 5432) });
        url.hostname = "127.0.0.1";
        url.port = String(relay.port);
        return url.toString();
      },
      async dropAll() {
        await relay?.close();
        await schemas.dropAll();
      },
    },
  };
}
