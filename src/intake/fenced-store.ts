import type { Store } from "../store/store.js";
import { ensureLeaseHeld } from "./lease-fence.js";

/** The store writes that make a run's answer part of the conversation. */
const FENCED = [
  "recordExchange",
  "supersedeExchange",
  "resetConversation",
  "updateBackendState",
  "updateSettings",
  "savePause",
  "closePauses",
] as const satisfies ReadonlyArray<keyof Store>;

/**
 * The store as job handlers see it: each write that changes a conversation first makes sure the
 * run still holds its job's lease (lease-fence.ts), so a run that stalled past its lease does
 * not record a second answer beside the run that took the job over. Outside jobs, and for
 * reads, it is the store itself.
 */
export function fencedStore(store: Store): Store {
  const fenced: Store = { ...store };
  for (const name of FENCED) {
    const write = store[name] as (...args: unknown[]) => Promise<unknown>;
    (fenced as unknown as Record<string, unknown>)[name] = async (...args: unknown[]) => {
      await ensureLeaseHeld(name);
      return write.apply(store, args);
    };
  }
  return fenced;
}
