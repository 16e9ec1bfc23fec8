import type { BackendPart } from "./backend.js";
import { numberField, stringField } from "./backend-http.js";

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
 * Lark cannot show FastGPT's select buttons or forms, so the pause is written out as text; the
 * user's next message (same chatId) is what FastGPT takes as the choice.
 */
export function interactiveText(data: unknown): string | undefined {
  const interactive =
    data && typeof data === "object" ? (data as { interactive?: unknown }).interactive : undefined;
  const params =
    interactive && typeof interactive === "object"
      ? (interactive as { params?: unknown }).params
      : undefined;
  if (!params || typeof params !== "object") return undefined;
  const lines: string[] = [];
  const description = stringField(params, "description");
  if (description) lines.push(description);
  const options = (params as { userSelectOptions?: unknown }).userSelectOptions;
  const form = (params as { inputForm?: unknown }).inputForm;
  const items = Array.isArray(options) ? options : Array.isArray(form) ? form : [];
  const labels = items
    .map((item) => stringField(item, "value") ?? stringField(item, "label"))
    .filter((label): label is string => Boolean(label));
  if (labels.length > 0) {
    if (lines.length > 0) lines.push("");
    for (const label of labels) lines.push(`- ${label}`);
  }
  return lines.length > 0 ? lines.join("\n") : undefined;
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
