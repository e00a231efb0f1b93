// fast-check arbitraries from the JSON Schemas of /openapi.json: values a schema accepts (the subset p2j's
// schemas use: type, enum, const, anyOf, $ref, properties/required, items, bounds, pattern), and values
// that break it in one place, the way a careless or hostile client does.
'use strict';

const fc = require('fast-check');

function resolve(schema, document) {
  let current = schema;
  for (let depth = 0; current && current.$ref; ++depth) {
    if (depth > 32) throw new Error(`$ref loop at ${schema.$ref}`);
    const pointer = current.$ref.replace(/^#\//, '').split('/').map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'));
    current = pointer.reduce((node, token) => node[token], document);
  }
  return current;
}

// Text as clients send it: words, any Unicode, control characters, and strings at or over the length limit.
function text(schema) {
  const max = schema.maxLength === undefined ? 64 : Math.min(schema.maxLength, 64);
  const min = schema.minLength || 0;
  const choices = [
    fc.string({ minLength: min, maxLength: max }),
    fc.string({ unit: 'grapheme', minLength: min, maxLength: max }),
    fc.constantFrom('Design a 10-story office building with steel and glass, 40x30 m', 'Design an electric car',
      'Design a wooden chair', 'Design a 3-story house with wood', 'hello', ''),
  ];
  if (schema.maxLength !== undefined) {
    choices.push(fc.constant('x'.repeat(schema.maxLength)));
  }
  if (schema.pattern) choices.push(fc.stringMatching(new RegExp(schema.pattern)));
  return fc.oneof(...choices).filter((s) => s.length >= min && (schema.maxLength === undefined || s.length <= schema.maxLength));
}

function number(schema, integer) {
  const min = schema.minimum === undefined ? -1e6 : schema.minimum;
  const max = schema.maximum === undefined ? 1e6 : schema.maximum;
  if (integer) return fc.integer({ min: Math.ceil(min), max: Math.floor(max) });
  return fc.double({ min, max, noNaN: true, noDefaultInfinity: true });
}

// Values `schema` accepts (its cross-field rules aside). `hints` gives arbitraries for properties by name
// (ids that exist, say), used beside the schema's own.
function valid(schema, document, hints = {}, depth = 0) {
  const s = resolve(schema, document);
  if (s.const !== undefined) return fc.constant(s.const);
  if (s.enum) return fc.constantFrom(...s.enum);
  if (s.anyOf) return fc.oneof(...s.anyOf.map((branch) => valid(branch, document, hints, depth + 1)));
  const types = Array.isArray(s.type) ? s.type : s.type ? [s.type] : ['object'];
  return fc.oneof(...types.map((type) => {
    switch (type) {
      case 'null': return fc.constant(null);
      case 'boolean': return fc.boolean();
      case 'integer': return number(s, true);
      case 'number': return number(s, false);
      case 'string': return text(s);
      case 'array': {
        const items = s.items ? valid(s.items, document, hints, depth + 1) : fc.jsonValue({ maxDepth: 1 });
        return fc.array(items, { minLength: s.minItems || 0, maxLength: Math.min(s.maxItems ?? 6, depth > 2 ? 2 : 6) });
      }
      default: {
        const properties = s.properties || {};
        const required = new Set(s.required || []);
        const record = {};
        for (const [name, property] of Object.entries(properties)) {
          const own = valid(property, document, hints, depth + 1);
          record[name] = hints[name] ? fc.oneof(hints[name], own) : own;
        }
        const requiredKeys = Object.keys(properties).filter((name) => required.has(name));
        const shape = fc.record(record, { requiredKeys });
        if (s.additionalProperties === false || s.additionalProperties === undefined && Object.keys(properties).length) {
          return shape;
        }
        const extra = s.additionalProperties && s.additionalProperties !== true
          ? fc.dictionary(fc.string({ minLength: 1, maxLength: 12 }), valid(s.additionalProperties, document, hints, depth + 1), { maxKeys: 3 })
          : fc.dictionary(fc.string({ minLength: 1, maxLength: 12 }), fc.jsonValue({ maxDepth: 1 }), { maxKeys: 3 });
        return fc.tuple(extra, shape).map(([more, fields]) => ({ ...more, ...fields }));
      }
    }
  }));
}

// Anything at all, as JSON text, and bodies that are not JSON.
const garbageText = fc.oneof(
  fc.jsonValue().map((v) => JSON.stringify(v)),
  fc.string(),
  fc.constantFrom('{', '[1,2', '{"prompt": }', 'null', '""', '{"prompt": "\\ud800"}', '\u0000', ' ',
    `${'['.repeat(40)}${']'.repeat(40)}`, `{"prompt": "${'a'.repeat(70000)}"}`),
);

// A valid value with one thing broken: a required field removed, a field of another type, or a field null.
function broken(schema, document, hints = {}) {
  const s = resolve(schema, document);
  return fc.tuple(valid(s, document, hints), fc.nat(), fc.constantFrom('drop', 'retype', 'null'), fc.jsonValue({ maxDepth: 2 }))
    .map(([value, pick, how, other]) => {
      if (value === null || typeof value !== 'object' || Array.isArray(value)) return other;
      const keys = Object.keys(value);
      if (keys.length === 0) return other;
      const key = keys[pick % keys.length];
      const copy = { ...value };
      if (how === 'drop') delete copy[key];
      else if (how === 'null') copy[key] = null;
      else copy[key] = other;
      return copy;
    });
}

module.exports = { broken, garbageText, resolve, valid };
