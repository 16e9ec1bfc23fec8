import { describe, expect, it } from "vitest";
import { postContent } from "../../../src/lark/inbound/content/post-content.js";
import { InboundError } from "../../../src/lark/inbound/inbound-error.js";

const post = {
  title: "Weekly",
  content: [
    [
      { tag: "text", text: "Hi ", style: ["bold"] },
      { tag: "at", user_id: "@_user_1", user_name: "" },
      { tag: "text", text: ", read " },
      { tag: "a", href: "https://example.test/doc", text: "the doc" },
    ],
    [{ tag: "img", image_key: "img_1" }],
    [{ tag: "media", file_key: "file_1", image_key: "img_2" }],
    [{ tag: "emotion", emoji_type: "SMILE" }],
    [{ tag: "hr" }],
    [{ tag: "code_block", language: "GO", text: "func main() {}\n" }],
    [{ tag: "text", text: "bye" }],
  ],
};

const expected = [
  "Weekly",
  "Hi @_user_1, read [the doc](https://example.test/doc)",
  "[image]",
  "[video]",
  ":SMILE:",
  "---",
  "```go",
  "func main() {}",
  "```",
  "bye",
].join("\n");

describe("postContent", () => {
  it("renders title, links, mentions, images, videos, emoji, rules and code", () => {
    expect(postContent(post)).toBe(expected);
  });

  it("accepts the locale-wrapped form, with or without an outer post key", () => {
    expect(postContent({ zh_cn: post })).toBe(expected);
    expect(postContent({ post: { en_us: post } })).toBe(expected);
  });

  it("omits an empty title and keeps empty paragraphs as blank lines", () => {
    const text = postContent({
      title: "",
      content: [[{ tag: "text", text: "one" }], [], [{ tag: "text", text: "two" }]],
    });
    expect(text).toBe("one\n\ntwo");
  });

  it("renders a bare link, @all, named mentions and unknown tags with text", () => {
    const text = postContent({
      content: [
        [
          { tag: "a", href: "https://x.test", text: "https://x.test" },
          { tag: "text", text: " " },
          { tag: "at", user_id: "all" },
          { tag: "text", text: " " },
          { tag: "at", user_id: "ou_1", user_name: "Tom" },
          { tag: "text", text: " " },
          { tag: "future_tag", text: "kept" },
        ],
      ],
    });
    expect(text).toBe("https://x.test @_all @Tom kept");
  });

  it("starts a code block on its own line and fences code containing backticks", () => {
    const text = postContent({
      content: [
        [
          { tag: "text", text: "look:" },
          { tag: "code_block", language: "", text: "a ``` b" },
          { tag: "text", text: "after" },
        ],
      ],
    });
    expect(text).toBe("look:\n````\na ``` b\n````\nafter");
  });

  it("throws InboundError when there is no content array", () => {
    expect(() => postContent({ title: "only" })).toThrow(InboundError);
    expect(() => postContent({ zh_cn: { title: "x" } })).toThrow(InboundError);
  });
});
