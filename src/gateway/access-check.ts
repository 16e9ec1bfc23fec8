import type { AccessPolicy } from "../config/config.js";

/** Deny lists always win; a non-empty allow list admits only what it names. */
export function createAccessCheck(policy: AccessPolicy | undefined) {
  if (!policy) return () => true;
  const allowChats = new Set(policy.allowChats);
  const denyChats = new Set(policy.denyChats);
  const allowUsers = new Set(policy.allowUsers);
  const denyUsers = new Set(policy.denyUsers);
  return (chatId: string, userOpenId: string): boolean => {
    if (denyChats.has(chatId) || denyUsers.has(userOpenId)) return false;
    if (allowChats.size > 0 && !allowChats.has(chatId)) return false;
    if (allowUsers.size > 0 && !allowUsers.has(userOpenId)) return false;
    return true;
  };
}
