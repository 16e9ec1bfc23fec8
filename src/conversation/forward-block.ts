/** Forwarded chats longer than this (in characters) are cut: they are context for a question. */
export const MAX_FORWARD_CHARS = 30_000;

/**
 * A forwarded chat as the model reads it: a line saying what it is, then its transcript
 * (cut past `MAX_FORWARD_CHARS`, saying so).
 */
export function forwardBlock(forward: { transcript: string; messages: number }): string {
  const transcript =
    forward.transcript.length > MAX_FORWARD_CHARS
      ? `${forward.transcript.slice(0, MAX_FORWARD_CHARS)}\n[… the rest of the forwarded chat was cut]`
      : forward.transcript;
  return `[forwarded chat, ${forward.messages} messages]\n${transcript}`;
}
