// JSON values → CEL values, typed by the structural schema the way the
// apiserver's UnstructuredToVal does: integer → int, number → double,
// date-time/date → timestamp, duration → duration, byte → bytes, objects with
// properties expose only their declared (escaped) fields with nulls treated
// as absent, list-type set/map lists keep their equality semantics.

import { create } from '@bufbuild/protobuf';
import { DurationSchema, TimestampSchema } from '@bufbuild/protobuf/wkt';
import { reflect } from '@bufbuild/protobuf/reflect';
import { celMap, type CelInput, type CelValue } from '@bufbuild/cel';
import type { CelSchema } from './types.js';
import { escapeProperty } from './escaping.js';
import { typedList } from './equality.js';
import { durationParts, parseDate, parseDateTime, parseStrfmtDuration, type Instant } from './go-time.js';

const STRING_SCHEMA: CelSchema = { type: 'string' };

/** model.WithTypeAndObjectMeta: resource roots always expose apiVersion, kind, metadata.name/generateName. */
export function withTypeAndObjectMeta(s: CelSchema): CelSchema {
  return {
    ...s,
    properties: {
      ...(s.properties ?? {}),
      kind: STRING_SCHEMA,
      apiVersion: STRING_SCHEMA,
      metadata: { type: 'object', properties: { name: STRING_SCHEMA, generateName: STRING_SCHEMA } },
    },
  };
}

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export function timestampValue(t: Instant): CelValue {
  return reflect(TimestampSchema, create(TimestampSchema, { seconds: t.seconds, nanos: t.nanos }));
}

export function durationValue(ns: bigint): CelValue {
  return reflect(DurationSchema, create(DurationSchema, durationParts(ns)));
}

function numberValue(v: number | bigint, integer: boolean): CelInput {
  if (typeof v === 'bigint') return integer ? v : Number(v);
  return integer && Number.isInteger(v) ? BigInt(v) : v;
}

/** Conversion without a schema: whole JSON numbers become int, others double. */
export function schemalessValue(v: unknown): CelInput {
  if (v === null || v === undefined) return null;
  if (typeof v === 'number' || typeof v === 'bigint') return numberValue(v, true);
  if (typeof v === 'string' || typeof v === 'boolean') return v;
  if (Array.isArray(v)) return typedList(v.map((x) => schemalessValue(x) as CelValue), undefined);
  if (isPlainObject(v)) return new Map(Object.entries(v).map(([k, x]) => [k, schemalessValue(x)]));
  return String(v);
}

function stringValue(s: string, format: string | undefined): CelInput {
  try {
    switch (format) {
      case 'date-time':
        return timestampValue(parseDateTime(s));
      case 'date':
        return timestampValue(parseDate(s));
      case 'duration':
        return durationValue(parseStrfmtDuration(s));
      case 'byte': {
        const clean = s.replace(/[\r\n]/g, '');
        if (!/^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/.test(clean)) return s;
        return new Uint8Array(Buffer.from(clean, 'base64'));
      }
      default:
        return s;
    }
  } catch {
    // The apiserver yields an error value here; format validation rejects such strings anyway.
    return s;
  }
}

/** Converts `value` (JSON) to a CEL value typed by `schema`. */
export function toCelValue(value: unknown, schema: CelSchema | undefined, isResourceRoot = false): CelInput {
  if (value === null || value === undefined) return null;
  if (!schema) return schemalessValue(value);
  if (schema['x-kubernetes-int-or-string']) {
    return typeof value === 'string' ? value : schemalessValue(value);
  }
  switch (schema.type) {
    case 'object': {
      if (!isPlainObject(value)) return schemalessValue(value);
      const s = isResourceRoot || schema['x-kubernetes-embedded-resource'] ? withTypeAndObjectMeta(schema) : schema;
      if (s.properties) {
        const m = new Map<string, CelInput>();
        for (const [k, v] of Object.entries(value)) {
          const prop = s.properties[k];
          const name = escapeProperty(k);
          if (!prop || name === undefined || v === null || v === undefined) continue;
          m.set(name, toCelValue(v, prop));
        }
        return m;
      }
      if (isPlainObject(s.additionalProperties)) {
        const ap = s.additionalProperties;
        return new Map(Object.entries(value).map(([k, v]) => [k, toCelValue(v, ap)]));
      }
      // preserve-unknown-fields without properties: upstream exposes no fields at all.
      return new Map();
    }
    case 'array': {
      if (!Array.isArray(value)) return schemalessValue(value);
      const items = value.map((v) => toCelValue(v, schema.items) as CelValue);
      const listType = schema['x-kubernetes-list-type'];
      if (listType === 'set') return typedList(items, { kind: 'set' });
      if (listType === 'map') {
        const keys = (schema['x-kubernetes-list-map-keys'] ?? []).map((k) => escapeProperty(k) ?? k);
        return typedList(items, { kind: 'map', keys });
      }
      return typedList(items, undefined);
    }
    case 'string':
      return typeof value === 'string' ? stringValue(value, schema.format) : schemalessValue(value);
    case 'number':
      return typeof value === 'number' || typeof value === 'bigint' ? numberValue(value, false) : schemalessValue(value);
    case 'integer':
      return typeof value === 'number' || typeof value === 'bigint' ? numberValue(value, true) : schemalessValue(value);
    case 'boolean':
      return typeof value === 'boolean' ? value : schemalessValue(value);
    default:
      return schemalessValue(value);
  }
}

/** A converted input as a CEL value (maps wrapped), for places that need CelValue. */
export function asCelValue(v: CelInput): CelValue {
  return v instanceof Map ? celMap(v) : (v as CelValue);
}
