import type { FakeCard, FakeMessage } from "../kit/fake-lark.js";

type Node = Record<string, unknown>;

function walk(node: unknown, visit: (node: Node) => void): void {
  if (Array.isArray(node)) {
    for (const item of node) walk(item, visit);
    return;
  }
  if (node && typeof node === "object") {
    visit(node as Node);
    for (const value of Object.values(node)) walk(value, visit);
  }
}

/** The callback value of the button labelled `label` in a card JSON, if present. */
export function buttonValue(card: unknown, label: string): Record<string, unknown> | undefined {
  let found: Record<string, unknown> | undefined;
  walk(card, (node) => {
    const text = node.text as Node | undefined;
    if (node.tag === "button" && text?.content === label) {
      const behaviors = node.behaviors as Array<{ value?: Record<string, unknown> }> | undefined;
      found = behaviors?.[0]?.value ?? (node.value as Record<string, unknown> | undefined);
    }
  });
  return found;
}

/** Tags of every element in a card JSON. */
export function tagsOf(card: unknown): string[] {
  const tags: string[] = [];
  walk(card, (node) => {
    if (typeof node.tag === "string") tags.push(node.tag);
  });
  return tags;
}

/** The card JSON a message currently shows (a CardKit card, or an inline card). */
export function cardOf(message: FakeMessage): unknown {
  return message.card ? message.card.json : message.content;
}

export function lastSettings(card: FakeCard): Record<string, unknown> | undefined {
  const last = card.settings.at(-1)?.settings;
  return typeof last === "string" ? JSON.parse(last) : last;
}

/**
 * The message shows its final state: a message sent whole, or a CardKit card whose streaming
 * is closed and whose final form (rendered tables, toolbar) is in place.
 */
export function isFinal(message: FakeMessage): boolean {
  if (!message.card) return true;
  return message.card.streaming === false && message.card.fullUpdates.length > 0;
}

/**
 * Like isFinal, but a message sent whole does not count: for tests where the answer must have
 * come as a streamed card.
 */
export function isFinishedCard(message: FakeMessage): boolean {
  return message.card !== undefined && isFinal(message);
}

/** The names of a card form's fields (inputs and drop-downs), top to bottom. */
export function formFieldNames(card: unknown): string[] {
  const names: string[] = [];
  walk(card, (node) => {
    if ((node.tag === "input" || node.tag === "select_static") && typeof node.name === "string")
      names.push(node.name);
  });
  return names;
}
