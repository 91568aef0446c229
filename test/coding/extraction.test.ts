import { CODE_BLOCK_PATTERN, MarkdownCodeExtractor, UNKNOWN, content_str, extract_code, infer_lang, ValueError } from "ag2ts";
import * as coding from "ag2ts/coding";

describe("extract_code", () => {
  it("returns the UNKNOWN sentinel with the whole text when there is no block", () => {
    expect(UNKNOWN).toBe("unknown");
    expect(extract_code("no code")).toEqual([["unknown", "no code"]]);
    expect(new MarkdownCodeExtractor().extract_code_blocks("no code")).toEqual([]);
  });

  it("extracts fenced blocks in order with their language", () => {
    expect(extract_code("```python\nprint(1)\n```")).toEqual([["python", "print(1)"]]);
    const text = "First:\n```sh\necho a\n```\nthen\n```python\nprint(2)\nprint(3)\n```\n";
    expect(extract_code(text)).toEqual([
      ["sh", "echo a"],
      ["python", "print(2)\nprint(3)"],
    ]);
    expect(extract_code("```\nx = 1\n```")).toEqual([["", "x = 1"]]);
  });

  it("follows AG2's fence rules", () => {
    // closing fence must be on its own line
    expect(extract_code("```python\nprint(1)```")).toEqual([["unknown", "```python\nprint(1)```"]]);
    // c++ or attributes after the language prevent a match at that fence
    expect(extract_code("```c++\nint x;\n```")[0][0]).toBe("unknown");
    expect(extract_code('```python title="x"\nprint(1)\n```')[0][0]).toBe("unknown");
    // ~~~ is not a fence; an empty body needs a blank line
    expect(extract_code("~~~python\nprint(1)\n~~~")[0][0]).toBe("unknown");
    expect(extract_code("```py\n\n```")).toEqual([["py", ""]]);
    expect(extract_code("```py\r\nprint(1)\r\n```")).toEqual([["py", "print(1)"]]);
    expect(CODE_BLOCK_PATTERN.flags).toContain("g");
  });

  it("detects single-line code when asked", () => {
    expect(extract_code("run `ls` now", { detect_single_line_code: true })).toEqual([["", "ls"]]);
    expect(extract_code("```python\n print(1) \n```", { detect_single_line_code: true })).toEqual([["python", "print(1)"]]);
    expect(extract_code("nothing", { detect_single_line_code: true })).toEqual([]);
  });

  it("flattens content parts before extracting", () => {
    expect(extract_code([{ type: "text", text: "```sh\necho hi\n```" }])).toEqual([["sh", "echo hi"]]);
  });
});

describe("infer_lang", () => {
  it("infers python for valid Python, unknown otherwise, sh for pip/python commands", () => {
    expect(infer_lang("print(1)")).toBe("python");
    // `ls -la` is valid Python (ls minus la), so AG2 and ag2ts infer python for it.
    expect(infer_lang("ls -la")).toBe("python");
    expect(infer_lang("cd /tmp && ls")).toBe("unknown");
    expect(infer_lang("pip install x")).toBe("sh");
    expect(infer_lang("python script.py")).toBe("sh");
    expect(infer_lang("python3 -m venv x")).toBe("sh");
  });

  it("MarkdownCodeExtractor uses it for blocks without a language", () => {
    const blocks = new MarkdownCodeExtractor().extract_code_blocks("```\nprint(1)\n```\n```\ncd /tmp && ls\n```\n```bash\necho 1\n```");
    expect(blocks.map((b) => [b.language, b.code])).toEqual([
      ["python", "print(1)"],
      ["", "cd /tmp && ls"],
      ["bash", "echo 1"],
    ]);
  });
});

describe("content_str", () => {
  it("joins parts with newlines and names media", () => {
    expect(content_str([{ type: "text", text: "a" }, { type: "image_url", image_url: { url: "u" } }])).toBe("a\n<image>");
    expect(content_str(null)).toBe("");
    expect(content_str(undefined)).toBe("");
    expect(content_str("x")).toBe("x");
    expect(
      content_str([
        { type: "input_text", text: "t" },
        { type: "input_audio", input_audio: {} },
        { type: "video_url", video_url: {} },
        { type: "tool_call", name: "f" },
        { type: "function" },
      ]),
    ).toBe("t\n<audio>\n<video>\n<function: f>\n<function>");
  });

  it("rejects malformed parts", () => {
    expect(() => content_str([{ type: "weird" }])).toThrow(new ValueError("Wrong content format: unknown type weird within the content"));
    expect(() => content_str([{ text: "no type" } as never])).toThrow(ValueError);
    expect(() => content_str(["str" as never])).toThrow(TypeError);
    expect(() => content_str(5 as never)).toThrow(TypeError);
  });

  it("is the same function from the root and ag2ts/coding", () => {
    expect(coding.content_str).toBe(content_str);
    expect(coding.extract_code).toBe(extract_code);
  });
});
