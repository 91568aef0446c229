/**
 * Vision helpers with AG2's names (autogen/agentchat/contrib/img_utils.py):
 * `<img path_or_url>` tags in a text become OpenAI content parts, local image
 * files are read and sent as base64 data URIs. Files are read with
 * `node:fs` obtained at call time (process.getBuiltinModule), so importing
 * ag2ts loads nothing Node-only.
 */
import type { ContentPart } from "../../core/types";
import { FileNotFoundError, RuntimeError, ValueError } from "../../errors";

const MIME_BY_EXTENSION: Record<string, string> = {
  png: "image/png",
  jpg: "image/jpeg",
  jpeg: "image/jpeg",
  gif: "image/gif",
  webp: "image/webp",
  bmp: "image/bmp",
};

function readFile(path: string): Uint8Array {
  const proc = (globalThis as { process?: { getBuiltinModule?: (name: string) => unknown } }).process;
  if (!proc || typeof proc.getBuiltinModule !== "function") {
    throw new RuntimeError(`Reading the image file ${path} needs Node >= 20.16 or Deno; pass an http(s) or data: URL instead.`);
  }
  const fs = proc.getBuiltinModule("node:fs") as typeof import("node:fs");
  try {
    return fs.readFileSync(path);
  } catch (err) {
    if ((err as { code?: string }).code === "ENOENT") throw new FileNotFoundError(`The image file '${path}' does not exist.`, { cause: err });
    throw err;
  }
}

function toBase64(bytes: Uint8Array): string {
  let binary = "";
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

/** The media type of base64 image data, from its first bytes (JPEG when unknown, as AG2). */
function sniffMime(base64: string): string {
  const head = atob(base64.slice(0, 24).replace(/[^A-Za-z0-9+/]/g, "").slice(0, 16));
  if (head.startsWith("\x89PNG")) return "image/png";
  if (head.startsWith("\xff\xd8\xff")) return "image/jpeg";
  if (head.startsWith("GIF8")) return "image/gif";
  if (head.startsWith("RIFF") && head.slice(8, 12) === "WEBP") return "image/webp";
  if (head.startsWith("BM")) return "image/bmp";
  return "image/jpeg";
}

/** `data:<mime>;base64,<data>` for base64 image data; the mime type is read from the data (AG2's convert_base64_to_data_uri). */
export function convert_base64_to_data_uri(base64_image: string): string {
  return `data:${sniffMime(base64_image)};base64,${base64_image}`;
}

function isUrl(source: string): boolean {
  return /^https?:\/\//i.test(source);
}

/**
 * The image at a local path, an http(s) URL or a data: URI: base64 text
 * (`use_b64`, the default) or the bytes. A URL is fetched.
 */
export async function get_image_data(image_file: string, options: { use_b64?: boolean } = {}): Promise<string | Uint8Array> {
  const { use_b64 = true } = options;
  let bytes: Uint8Array;
  const data = /^data:[^;,]+;base64,(.*)$/s.exec(image_file);
  if (data) {
    if (use_b64) return data[1];
    bytes = Uint8Array.from(atob(data[1]), (c) => c.charCodeAt(0));
  } else if (isUrl(image_file)) {
    const response = await fetch(image_file);
    if (!response.ok) throw new RuntimeError(`Fetching the image ${image_file} failed: HTTP ${response.status}.`);
    bytes = new Uint8Array(await response.arrayBuffer());
  } else bytes = readFile(image_file);
  return use_b64 ? toBase64(bytes) : bytes;
}

/** A local image file as a data URI (the mime type from the extension, else from the bytes). */
export function image_file_to_data_uri(path: string): string {
  const base64 = toBase64(readFile(path));
  const extension = /\.([a-z0-9]+)$/i.exec(path)?.[1]?.toLowerCase();
  const mime = extension ? MIME_BY_EXTENSION[extension] : undefined;
  return mime ? `data:${mime};base64,${base64}` : convert_base64_to_data_uri(base64);
}

const IMG_TAG = /<img ([^>]+)>/g;

/**
 * AG2's gpt4v_formatter: the text split at its `<img path_or_url>` tags into
 * text and `image_url` parts. With `img_format` "uri" (the default) a local
 * file becomes a data URI and URLs stay URLs (OpenAI and Anthropic fetch
 * them); "url" keeps every source as written. ("pil" has no counterpart in
 * TypeScript.)
 */
export function gpt4v_formatter(prompt: string, options: { img_format?: "uri" | "url" } = {}): ContentPart[] {
  const { img_format = "uri" } = options;
  if (img_format !== "uri" && img_format !== "url") {
    throw new ValueError(`img_format must be "uri" or "url" (ag2ts has no PIL images), got ${JSON.stringify(img_format)}.`);
  }
  const parts: ContentPart[] = [];
  let last = 0;
  for (const match of prompt.matchAll(IMG_TAG)) {
    const source = match[1].trim().replace(/^["']|["']$/g, "");
    const text = prompt.slice(last, match.index);
    if (text) parts.push({ type: "text", text });
    const url = img_format === "url" || isUrl(source) || source.startsWith("data:") ? source : image_file_to_data_uri(source);
    parts.push({ type: "image_url", image_url: { url } });
    last = (match.index ?? 0) + match[0].length;
  }
  const rest = prompt.slice(last);
  if (rest || parts.length === 0) parts.push({ type: "text", text: rest });
  return parts;
}
