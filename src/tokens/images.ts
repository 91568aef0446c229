/**
 * Tokens of an image part (AG2 img_utils.num_tokens_from_gpt_image): the image
 * is scaled to fit 2048 px on its long edge and 768 px on its short edge, then
 * covered with 512 px tiles. ag2ts reads the size from the image header of a
 * data URI or a base64 string (PNG, JPEG, GIF, WebP) without decoding pixels;
 * an http(s) URL or a file path cannot be read synchronously, so its tokens
 * cannot be counted (an error the message counter turns into a warning),
 * except at `detail: "low"`, whose count does not depend on the size.
 */
import { ValueError } from "../errors";

interface ImageParams {
  max_edge: number;
  min_edge: number;
  tile_size: number;
  base_token_count: number;
  token_multiplier: number;
}

const GPT4_VISION: ImageParams = { max_edge: 2048, min_edge: 768, tile_size: 512, base_token_count: 85, token_multiplier: 170 };
const GPT4O_MINI: ImageParams = { max_edge: 2048, min_edge: 768, tile_size: 512, base_token_count: 2833, token_multiplier: 5667 };
const GPT4O: ImageParams = GPT4_VISION;

function paramsFor(model: string): ImageParams {
  if (["gpt-4-vision", "gpt-4-turbo", "gpt-4v", "gpt-4-v"].some((m) => model.includes(m))) return GPT4_VISION;
  if (model.includes("gpt-4o-mini")) return GPT4O_MINI;
  if (model.includes("gpt-4o")) return GPT4O;
  throw new ValueError(
    `Model ${model} is not supported. Choose 'gpt-4-vision', 'gpt-4-turbo', 'gpt-4v', 'gpt-4-v', 'gpt-4o', or 'gpt-4o-mini'.`,
  );
}

function decodeBase64(data: string): Uint8Array {
  let binary: string;
  try {
    binary = atob(data.replace(/\s+/g, ""));
  } catch {
    throw new ValueError("The image is neither an http(s) URL nor valid base64 data.");
  }
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

const u16be = (b: Uint8Array, i: number) => (b[i] << 8) | b[i + 1];
const u16le = (b: Uint8Array, i: number) => b[i] | (b[i + 1] << 8);
const u32be = (b: Uint8Array, i: number) => ((b[i] << 24) >>> 0) + (b[i + 1] << 16) + (b[i + 2] << 8) + b[i + 3];

/** Width and height from the header of a PNG, JPEG, GIF or WebP image. */
export function imageSize(bytes: Uint8Array): [number, number] {
  const ascii = (from: number, to: number) => String.fromCharCode(...bytes.subarray(from, to));
  if (bytes.length >= 24 && bytes[0] === 0x89 && ascii(1, 4) === "PNG") return [u32be(bytes, 16), u32be(bytes, 20)];
  if (bytes.length >= 10 && (ascii(0, 6) === "GIF87a" || ascii(0, 6) === "GIF89a")) return [u16le(bytes, 6), u16le(bytes, 8)];
  if (bytes.length >= 30 && ascii(0, 4) === "RIFF" && ascii(8, 12) === "WEBP") {
    const kind = ascii(12, 16);
    if (kind === "VP8X") return [1 + (bytes[24] | (bytes[25] << 8) | (bytes[26] << 16)), 1 + (bytes[27] | (bytes[28] << 8) | (bytes[29] << 16))];
    if (kind === "VP8 ") return [u16le(bytes, 26) & 0x3fff, u16le(bytes, 28) & 0x3fff];
    if (kind === "VP8L") {
      const bits = bytes[21] | (bytes[22] << 8) | (bytes[23] << 16) | (bytes[24] << 24);
      return [(bits & 0x3fff) + 1, ((bits >> 14) & 0x3fff) + 1];
    }
  }
  if (bytes.length >= 4 && bytes[0] === 0xff && bytes[1] === 0xd8) {
    let i = 2;
    while (i + 9 < bytes.length) {
      if (bytes[i] !== 0xff) {
        i += 1;
        continue;
      }
      const marker = bytes[i + 1];
      const length = u16be(bytes, i + 2);
      // Start-of-frame markers hold the size (not DHT 0xC4, JPG 0xC8, DAC 0xCC).
      if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
        return [u16be(bytes, i + 7), u16be(bytes, i + 5)];
      }
      i += 2 + length;
    }
  }
  throw new ValueError("The image data is not a PNG, JPEG, GIF or WebP image.");
}

function sizeOf(url: string): [number, number] {
  let data = url;
  if ((data.startsWith('"') && data.endsWith('"')) || (data.startsWith("'") && data.endsWith("'"))) data = data.slice(1, -1);
  if (/^https?:\/\//.test(data)) {
    throw new ValueError(`The size of the image at ${data} is unknown: ag2ts counts image tokens only for data URIs and base64 images.`);
  }
  const uri = /^data:image\/[a-z+.-]+;base64,/i.exec(data);
  return imageSize(decodeBase64(uri ? data.slice(uri[0].length) : data));
}

/** Tokens a vision model spends on one image (`low_quality`: detail "low"). */
export function num_tokens_from_gpt_image(image_data: string, options: { model?: string; low_quality?: boolean } = {}): number {
  const params = paramsFor(options.model ?? "gpt-4-vision");
  if (options.low_quality) return params.base_token_count;
  let [width, height] = sizeOf(image_data);
  if (Math.max(width, height) > params.max_edge) {
    const scale = params.max_edge / Math.max(width, height);
    [width, height] = [Math.trunc(width * scale), Math.trunc(height * scale)];
  }
  if (Math.min(width, height) > params.min_edge) {
    const scale = params.min_edge / Math.min(width, height);
    [width, height] = [Math.trunc(width * scale), Math.trunc(height * scale)];
  }
  const tiles = Math.ceil(width / params.tile_size) * Math.ceil(height / params.tile_size);
  return params.base_token_count + params.token_multiplier * tiles;
}
