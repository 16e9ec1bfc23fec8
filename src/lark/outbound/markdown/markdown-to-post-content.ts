import { blocksToMarkdown, POST_FLAVOR } from "./block-to-markdown.js";
import { lexAnswer } from "./lex-markdown.js";
import { EMPTY_MARKDOWN_CONTENT } from "./render-card-body.js";

/** Content of a `post` message carrying one `md` node (docs/lark-notes.md#post-message-content). */
export interface PostContent {
  zh_cn: {
    title: string;
    content: Array<Array<{ tag: "md"; text: string }>>;
  };
}

/**
 * An LLM answer as `post` content, the fallback when a card cannot be sent. Post `md` renders
 * bold/italic/strike, http(s) links, lists, quotes, fenced code and rules, but no headings and no
 * tables: headings become bold lines and tables numbered lists. Posts are limited to 30 KB;
 * split long answers with `splitMarkdown` first and send one post per chunk.
 *
 * @example client.im.message.create({ data: { msg_type: "post", content: JSON.stringify(markdownToPostContent(chunk)) } })
 */
export function markdownToPostContent(markdown: string, title = ""): PostContent {
  const text = blocksToMarkdown(lexAnswer(markdown), POST_FLAVOR);
  return {
    zh_cn: {
      title,
      content: [[{ tag: "md", text: text.trim() === "" ? EMPTY_MARKDOWN_CONTENT : text }]],
    },
  };
}
