/**
 * The quick schema check (src/tools/quick-schema.ts) may only say "valid"
 * where ajv, configured as validation.ts configures it, says valid too; and
 * it must say so for the ordinary valid arguments of ordinary tool schemas,
 * or ajv would still be loaded for every tool call. Every case below is
 * checked against ajv itself.
 */
import { Ajv } from "ajv";
import type { JSONSchema } from "../../src/tools/metadata";
import { quickCheckOf } from "../../src/tools/quick-schema";
import { validateAgainstSchema } from "../../src/tools/validation";

const ajv = new Ajv({ allErrors: true, strict: false, coerceTypes: false, useDefaults: false });

const addSchema = {
  type: "object",
  properties: { a: { type: "number", description: "first" }, b: { type: "number" } },
  required: ["a", "b"],
};
const weather = {
  $schema: "http://json-schema.org/draft-07/schema#",
  type: "object",
  properties: {
    city: { type: "string", minLength: 1, maxLength: 20 },
    unit: { type: "string", enum: ["celsius", "fahrenheit"], default: "celsius" },
    days: { type: "integer", minimum: 1, maximum: 7 },
    tags: { type: "array", items: { type: "string" }, minItems: 0, maxItems: 2 },
    note: { anyOf: [{ type: "string" }, { type: "null" }] },
    exact: { const: 3 },
    strict: { type: "object", properties: { x: { type: "boolean" } }, additionalProperties: false },
  },
  required: ["city"],
  additionalProperties: false,
};

/** [schema, data, quick answer expected]. */
const cases: Array<[object, unknown, boolean]> = [
  [addSchema, { a: 1, b: 2.5 }, true],
  [addSchema, { a: 1 }, false],
  [addSchema, { a: "1", b: 2 }, false],
  [addSchema, { a: 1, b: 2, c: "extra" }, true],
  [addSchema, [1, 2], false],
  [weather, { city: "Paris" }, true],
  [weather, { city: "Paris", unit: "celsius", days: 3, tags: ["a"], note: null, exact: 3, strict: { x: true } }, true],
  [weather, { city: "" }, false],
  [weather, { city: "a".repeat(21) }, false],
  [weather, { city: "Paris", unit: "kelvin" }, false],
  [weather, { city: "Paris", days: 2.5 }, false],
  [weather, { city: "Paris", days: 8 }, false],
  [weather, { city: "Paris", tags: ["a", "b", "c"] }, false],
  [weather, { city: "Paris", tags: [1] }, false],
  [weather, { city: "Paris", note: 5 }, false],
  [weather, { city: "Paris", exact: 4 }, false],
  [weather, { city: "Paris", strict: { x: true, y: 1 } }, false],
  [weather, { city: "Paris", other: 1 }, false],
  // ajv counts code points: a string with surrogate pairs is left to ajv.
  [weather, { city: "😀😀" }, false],
  // A property named like one of Object.prototype's: ajv checks the inherited value, so the quick check defers.
  [{ type: "object", properties: { toString: { type: "string" } } }, {}, false],
  [{ type: ["string", "null"] }, null, true],
  [{ type: ["string", "null"] }, 1, false],
  [{ type: "object", additionalProperties: { type: "number" } }, { a: 1, b: 2 }, true],
  [{ type: "object", additionalProperties: { type: "number" } }, { a: "x" }, false],
  [{ allOf: [{ type: "number" }, { minimum: 0 }] }, 3, true],
  [{ allOf: [{ type: "number" }, { minimum: 0 }] }, -3, false],
  [{ exclusiveMinimum: 0, exclusiveMaximum: 1 }, 0, false],
  [{ exclusiveMinimum: 0, exclusiveMaximum: 1 }, 0.5, true],
];

describe("quick schema check", () => {
  it.each(cases.map((c, i) => [i, ...c]))("case %i: only what ajv accepts is accepted", (_i, schema, data, expected) => {
    const check = quickCheckOf(schema as JSONSchema);
    expect(check).not.toBeNull();
    const quick = check!(data);
    expect(quick).toBe(expected);
    if (quick) expect(ajv.validate(schema, data)).toBe(true);
  });

  it("gives no quick check for schemas outside its subset (ajv decides everything there)", () => {
    for (const schema of [
      { type: "object", properties: { d: { $ref: "#/definitions/D" } }, definitions: { D: { type: "string" } } },
      { type: "string", format: "date" },
      { type: "string", pattern: "^a" },
      { oneOf: [{ type: "string" }, { type: "number" }] },
      { type: "array", items: [{ type: "string" }] },
      { type: "object", patternProperties: { "^x": { type: "string" } }, additionalProperties: false },
      { type: "strng" },
      { enum: [{ a: 1 }] },
      { type: "number", exclusiveMinimum: true },
      { type: "string", nullable: true },
    ]) {
      expect(quickCheckOf(schema)).toBeNull();
    }
  });

  it("arguments it does not accept get ajv's verdict and ajv's words", async () => {
    await expect(Promise.resolve(validateAgainstSchema(addSchema, { a: 1 }))).resolves.toBe("arguments must have required property 'b'");
    await expect(Promise.resolve(validateAgainstSchema(weather, { city: "😀" }))).resolves.toBeNull();
    await expect(Promise.resolve(validateAgainstSchema({ type: "strng" }, {}))).resolves.toMatch(/^the JSON schema of this tool is invalid \(/);
    // Valid arguments of a schema in the subset are answered at once, without a promise.
    expect(validateAgainstSchema(addSchema, { a: 1, b: 2 })).toBeNull();
  });
});
