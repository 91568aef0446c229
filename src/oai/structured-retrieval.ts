/**
 * `message_retrieval_function` for a request with a `response_format`: the
 * client's replies, each text passed through the schema object's `format()`
 * when it has one (AG2's FormatterProtocol).
 */
import type { Message } from "../core/types";
import type { ModelClient, ModelClientResponse } from "./model-client";
import { formatStructured, type ResponseFormatSpec } from "./structured-output";

export function structuredRetrievalOf(client: ModelClient, spec: ResponseFormatSpec): PropertyDescriptor {
  const value = (r: ModelClientResponse): Array<string | Message | null> => client.message_retrieval(r).map((reply) => formatStructured(spec, reply));
  return { value, enumerable: false, configurable: true, writable: true };
}
