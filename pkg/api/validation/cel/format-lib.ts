// The Kubernetes CEL format library (library.Format, 1.31+):
// format.named(name) / format.<name>() and <Format>.validate(str), which
// returns optional.none() for a valid string or optional.of(errors) with
// apimachinery's validation messages.

import { celFunc, celList, celMethod, CelScalar, type CelFunc } from '@bufbuild/cel';
import { celObjectType, makeObject, objectText } from './object-types.js';
import { OPTIONAL, optionalNone, optionalOf } from './optional-type.js';
import { parseRequestURI } from './go-url.js';
import { parseDate, parseDateTime } from './go-time.js';

export const FORMAT = celObjectType('kubernetes.NamedFormat');

function regexError(msg: string, fmt: string, ...examples: string[]): string {
  if (examples.length === 0) return `${msg} (regex used for validation is '${fmt}')`;
  return `${msg} (e.g. ${examples.map((e) => `'${e}', `).join(' or ')}regex used for validation is '${fmt}')`;
}

const maxLen = (n: number): string => `must be no more than ${n} characters`;
const full = (fmt: string): RegExp => new RegExp(`^(?:${fmt})$`);

const DNS1123_LABEL = '[a-z0-9]([-a-z0-9]*[a-z0-9])?';
const DNS1123_SUBDOMAIN = `${DNS1123_LABEL}(\\.${DNS1123_LABEL})*`;
const DNS1035_LABEL = '[a-z]([-a-z0-9]*[a-z0-9])?';
const QUALIFIED_NAME = '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]';
const LABEL_VALUE = `(${QUALIFIED_NAME})?`;
const QUALIFIED_NAME_MSG = "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";

function dns1123Label(v: string): string[] {
  const errs: string[] = [];
  if (v.length > 63) errs.push(maxLen(63));
  if (!full(DNS1123_LABEL).test(v))
    errs.push(regexError("a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character", DNS1123_LABEL, 'my-name', '123-abc'));
  return errs;
}

function dns1123Subdomain(v: string): string[] {
  const errs: string[] = [];
  if (v.length > 253) errs.push(maxLen(253));
  if (!full(DNS1123_SUBDOMAIN).test(v))
    errs.push(regexError("a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character", DNS1123_SUBDOMAIN, 'example.com'));
  return errs;
}

function dns1035Label(v: string): string[] {
  const errs: string[] = [];
  if (v.length > 63) errs.push(maxLen(63));
  if (!full(DNS1035_LABEL).test(v))
    errs.push(regexError("a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character", DNS1035_LABEL, 'my-name', 'abc-123'));
  return errs;
}

// apimachinery's maskTrailingDash, used by the *Prefix variants (generateName).
const maskTrailingDash = (v: string): string => (v.length > 1 && v.endsWith('-') ? `${v.slice(0, -2)}a` : v);

function qualifiedName(v: string): string[] {
  const errs: string[] = [];
  const parts = v.split('/');
  let name: string;
  if (parts.length === 1) {
    name = parts[0]!;
  } else if (parts.length === 2) {
    const prefix = parts[0]!;
    name = parts[1]!;
    if (prefix === '') errs.push('prefix part must be non-empty');
    else errs.push(...dns1123Subdomain(prefix).map((m) => `prefix part ${m}`));
  } else {
    return [`a qualified name ${regexError(QUALIFIED_NAME_MSG, QUALIFIED_NAME, 'MyName', 'my.name', '123-abc')} with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')`];
  }
  if (name === '') errs.push('name part must be non-empty');
  else if (name.length > 63) errs.push(`name part ${maxLen(63)}`);
  if (!full(QUALIFIED_NAME).test(name)) errs.push(`name part ${regexError(QUALIFIED_NAME_MSG, QUALIFIED_NAME, 'MyName', 'my.name', '123-abc')}`);
  return errs;
}

function labelValue(v: string): string[] {
  const errs: string[] = [];
  if (v.length > 63) errs.push(maxLen(63));
  if (!full(LABEL_VALUE).test(v))
    errs.push(regexError("a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character", LABEL_VALUE, 'MyValue', 'my_value', '12345'));
  return errs;
}

const errorOf = (fn: () => unknown): string[] => {
  try {
    fn();
    return [];
  } catch (e) {
    return [(e as Error).message];
  }
};

const FORMATS: Readonly<Record<string, (v: string) => string[]>> = {
  dns1123Label,
  dns1123Subdomain,
  dns1035Label,
  qualifiedName,
  dns1123LabelPrefix: (v) => dns1123Label(maskTrailingDash(v)),
  dns1123SubdomainPrefix: (v) => dns1123Subdomain(maskTrailingDash(v)),
  dns1035LabelPrefix: (v) => dns1035Label(maskTrailingDash(v)),
  labelValue,
  uri: (v) => errorOf(() => parseRequestURI(v)),
  uuid: (v) => (/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(v) ? [] : ['does not match the UUID format']),
  byte: (v) => (/^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/.test(v.replace(/[\r\n]/g, '')) ? [] : ['illegal base64 data']),
  date: (v) => errorOf(() => parseDate(v)),
  datetime: (v) => errorOf(() => parseDateTime(v)),
};

const { STRING } = CelScalar;

export const formatFuncs: CelFunc[] = [
  celFunc('format.named', [STRING], OPTIONAL, (name) => (Object.hasOwn(FORMATS, name) ? optionalOf(makeObject('kubernetes.NamedFormat', name)) : optionalNone())),
  ...Object.keys(FORMATS).map((name) => celFunc(`format.${name}`, [], FORMAT, () => makeObject('kubernetes.NamedFormat', name))),
  celMethod('validate', FORMAT, [STRING], OPTIONAL, function (v) {
    const errs = FORMATS[objectText(this)]!(v);
    return errs.length === 0 ? optionalNone() : optionalOf(celList(errs));
  }),
];
