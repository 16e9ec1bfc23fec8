import { randomBytes } from "node:crypto";
import pg from "pg";

/** Where the PostgreSQL tests run: `LARKGATE_TEST_POSTGRES_URL`, or a local default. */
export const postgresTestUrl =
  process.env.LARKGATE_TEST_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/test";

/** Undefined when the server answers, else why not (for the skip message). */
export async function postgresUnreachable(url: string): Promise<string | undefined> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3_000 });
  try {
    await client.connect();
    await client.query("select 1");
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  } finally {
    await client.end().catch(() => {});
  }
}

/**
 * Creates uniquely named schemas and hands out URLs whose `search_path` points at one, so
 * test files and tests running in parallel never see each other's tables.
 */
export function createSchemaFactory(baseUrl: string) {
  const schemas: string[] = [];
  return {
    async create(): Promise<string> {
      const schema = `t_${randomBytes(6).toString("hex")}`;
      await withClient(baseUrl, (client) => client.query(`create schema ${schema}`));
      schemas.push(schema);
      const url = new URL(baseUrl);
      url.searchParams.set("options", `-c search_path=${schema}`);
      return url.toString();
    },
    async dropAll(): Promise<void> {
      const dropping = schemas.splice(0);
      await withClient(baseUrl, async (client) => {
        for (const schema of dropping) await client.query(`drop schema ${schema} cascade`);
      });
    },
  };
}

async function withClient<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}
