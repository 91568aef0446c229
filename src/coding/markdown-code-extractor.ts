/**
 * The executor path's code extractor (spec 50 §1.5).
 */
import { content_str } from "../core/messages";
import type { ContentPart } from "../core/types";
import { CodeBlock, type CodeExtractor } from "./base";
import { CODE_BLOCK_PATTERN, UNKNOWN, infer_lang } from "./extraction";

/** Extracts fenced Markdown code blocks; a block without language gets `infer_lang`'s guess ("" when unknown). */
export class MarkdownCodeExtractor implements CodeExtractor {
  extract_code_blocks(message: string | ContentPart[] | null | undefined): CodeBlock[] {
    const text = content_str(message);
    const blocks: CodeBlock[] = [];
    for (const m of text.matchAll(new RegExp(CODE_BLOCK_PATTERN.source, CODE_BLOCK_PATTERN.flags))) {
      const code = m[2] ?? "";
      let language = m[1] ?? "";
      if (!language) {
        language = infer_lang(code);
        if (language === UNKNOWN) language = "";
      }
      blocks.push(new CodeBlock({ code, language }));
    }
    return blocks;
  }
}
