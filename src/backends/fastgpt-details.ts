import type { BackendPart } from "./backend.js";
import { numberField, stringField } from "./backend-http.js";
import type { PauseField, WorkflowPause } from "./workflow-pause.js";

/**
 * Reading the "detail" events of FastGPT's chat API: the `flowResponses` node list (knowledge
 * base quotes, tokens, node errors) and `interactive` pauses (user-select / form nodes).
 */
export type CitationPart = Extract<BackendPart, { type: "citation" }>;
export type UsagePart = Extract<BackendPart, { type: "usage" }>;

export interface FlowSummary {
  citations: CitationPart[];
  usage?: UsagePart;
  /** The first node error, for an answer that came back empty because a node failed. */
  nodeError?: string;
}

/** Nested node lists: tool calls and plugins run their own nodes (and their own searches). */
const CHILD_LISTS = ["toolDetail", "pluginDetail", "childrenResponses"];

export function summarizeFlowResponses(data: unknown): FlowSummary {
  const nodes = Array.isArray(data) ? data : [];
  const citations: CitationPart[] = [];
  const seen = new Set<string>();
  let nodeError: string | undefined;

  const visit = (list: unknown[]): void => {
    for (const node of list) {
      if (!node || typeof node !== "object") continue;
      const record = node as Record<string, unknown>;
      const quotes = record.quoteList;
      if (Array.isArray(quotes)) {
        for (const quote of quotes) {
          const citation = quoteToCitation(quote);
          if (!citation) continue;
          // The search node and the chat node that used it carry the same quotes.
          const key = stringField(quote, "id") ?? `${citation.title}\n${citation.snippet ?? ""}`;
          if (seen.has(key)) continue;
          seen.add(key);
          citations.push(citation);
        }
      }
      nodeError ??= errorText(record.error) ?? stringField(record, "errorText");
      for (const key of CHILD_LISTS) {
        const children = record[key];
        if (Array.isArray(children)) visit(children);
      }
    }
  };
  visit(nodes);

  const summary: FlowSummary = { citations };
  const usage = sumUsage(nodes);
  if (usage) summary.usage = usage;
  if (nodeError) summary.nodeError = nodeError;
  return summary;
}

/**
 * An `interactive` pause (a user-select or form node) as a WorkflowPause, for the gateway to
 * show as a card; undefined when the data is not one we can show. Nested workflows (a plugin
 * or a loop that paused inside) carry the node's own params the same way.
 */
export function interactivePause(data: unknown): WorkflowPause | undefined {
  const interactive = field(data, "interactive");
  const type = stringField(interactive, "type");
  const params = field(interactive, "params");
  if (!params || typeof params !== "object") return undefined;
  const description = stringField(params, "description");
  const base = description ? { description } : {};
  const options = field(params, "userSelectOptions");
  if (type === "userSelect" || Array.isArray(options)) {
    const list = (Array.isArray(options) ? options : [])
      .map((item) => {
        const label = stringField(item, "value") ?? stringField(item, "label");
        const key = stringField(item, "key");
        return label ? { label, ...(key ? { key } : {}) } : undefined;
      })
      .filter((option) => option !== undefined);
    return list.length > 0 ? { kind: "select", ...base, options: list } : undefined;
  }
  const form = field(params, "inputForm");
  if (!Array.isArray(form)) return undefined;
  const fields = form
    .map((item): PauseField | undefined => {
      const key = stringField(item, "key") ?? stringField(item, "label");
      if (!key) return undefined;
      const kind = FIELD_TYPES[stringField(item, "type") ?? ""] ?? "text";
      const choices = field(item, "list");
      const options = Array.isArray(choices)
        ? choices
            .map((choice) => stringField(choice, "value") ?? stringField(choice, "label"))
            .filter((value): value is string => Boolean(value))
        : [];
      const defaultValue = field(item, "defaultValue");
      const hint = stringField(item, "description");
      return {
        key,
        label: stringField(item, "label") ?? key,
        type: kind === "select" && options.length === 0 ? "text" : kind,
        required: field(item, "required") === true,
        ...(hint ? { description: hint } : {}),
        ...(typeof defaultValue === "string" && defaultValue !== ""
          ? { defaultValue }
          : typeof defaultValue === "number"
            ? { defaultValue: String(defaultValue) }
            : {}),
        ...(kind === "select" && options.length > 0 ? { options } : {}),
      };
    })
    .filter((item) => item !== undefined);
  return fields.length > 0 ? { kind: "form", ...base, fields } : undefined;
}

/** FastGPT's form field types; the others (switch, password…) are asked as text. */
const FIELD_TYPES: Record<string, PauseField["type"]> = {
  input: "text",
  textarea: "textarea",
  numberInput: "number",
  select: "select",
};

function field(value: unknown, name: string): unknown {
  return value && typeof value === "object" ? (value as Record<string, unknown>)[name] : undefined;
}

function quoteToCitation(quote: unknown): CitationPart | undefined {
  if (!quote || typeof quote !== "object") return undefined;
  const title = stringField(quote, "sourceName") ?? "";
  const snippet = stringField(quote, "q");
  if (!title && !snippet) return undefined;
  const citation: CitationPart = { type: "citation", title: title || "knowledge base" };
  if (snippet) citation.snippet = snippet;
  // Web-link collections keep the page address as their source id.
  const sourceId = stringField(quote, "sourceId");
  if (sourceId && /^https?:\/\//i.test(sourceId)) citation.url = sourceId;
  return citation;
}

/** Top-level nodes only: a tool node's figures already include the nodes it ran. */
function sumUsage(nodes: unknown[]): UsagePart | undefined {
  let prompt: number | undefined;
  let completion: number | undefined;
  let total: number | undefined;
  const add = (sum: number | undefined, value: number | undefined) =>
    value === undefined ? sum : (sum ?? 0) + value;
  for (const node of nodes) {
    const input = numberField(node, "inputTokens");
    const output = numberField(node, "outputTokens");
    prompt = add(prompt, input);
    completion = add(completion, output);
    // Older FastGPT reports one `tokens` figure per node instead of input/output.
    const tokens =
      numberField(node, "tokens") ??
      (input !== undefined || output !== undefined ? (input ?? 0) + (output ?? 0) : undefined);
    total = add(total, tokens);
  }
  if (prompt === undefined && completion === undefined && total === undefined) return undefined;
  const usage: UsagePart = { type: "usage" };
  if (prompt !== undefined) usage.promptTokens = prompt;
  if (completion !== undefined) usage.completionTokens = completion;
  if (total !== undefined) usage.totalTokens = total;
  return usage;
}

function errorText(error: unknown): string | undefined {
  if (typeof error === "string") return error || undefined;
  return stringField(error, "message");
}
