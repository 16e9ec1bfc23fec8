import type { Store } from "../../src/store/store.js";

export interface WorkerRunResult {
  /** Ids of every job claimed, once per claim. */
  claimed: number[];
  /** Any observed breach of the queue's guarantees, described. */
  violations: string[];
}

/**
 * Drains the queue with one concurrent worker per store entry. A worker marks the
 * conversation busy as soon as its claim returns and frees it just before finishing, so
 * any claim the store grants while another job of that conversation is unfinished is seen.
 */
export async function runWorkers(stores: Store[], expectedJobs: number): Promise<WorkerRunResult> {
  const claimed: number[] = [];
  const violations: string[] = [];
  const busy = new Map<string, number>();
  const lastId = new Map<string, number>();

  const work = async (store: Store, owner: string) => {
    let idle = 0;
    while (claimed.length < expectedJobs && idle < 200) {
      const job = await store.claimJob(owner, 60_000);
      if (job === undefined) {
        idle++;
        await new Promise((resolve) => setTimeout(resolve, 2));
        continue;
      }
      idle = 0;
      claimed.push(job.id);
      const holder = busy.get(job.conversationKey);
      if (holder !== undefined) {
        violations.push(`job ${job.id} claimed while job ${holder} runs in its conversation`);
      }
      if ((lastId.get(job.conversationKey) ?? 0) > job.id) {
        violations.push(`job ${job.id} claimed after a newer job of its conversation`);
      }
      busy.set(job.conversationKey, job.id);
      lastId.set(job.conversationKey, job.id);
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 3));
      busy.delete(job.conversationKey);
      if (!(await store.finishJob(job.id, owner, "done"))) {
        violations.push(`job ${job.id} lost its lease`);
      }
    }
  };
  await Promise.all(stores.map((store, i) => work(store, `worker-${i}`)));
  return { claimed, violations };
}
