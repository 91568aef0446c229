/** Token counting helpers (AG2 autogen.token_count_utils). */
export { count_token, num_tokens_from_functions, percentile_used, token_left } from "./count";
export type { TokenCountInput, ModelOption, FunctionDescription } from "./count";
export { get_max_token_limit } from "./limits";
export { load_token_encoding } from "./encodings";
export type { Encoding, EncodingName } from "./encodings";
export { num_tokens_from_gpt_image } from "./images";
