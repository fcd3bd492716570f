// Validation errors in the apiserver's words: `spec.size: Invalid value:
// "1Gi": size may not shrink`. The types are field.ErrorType's strings.

export type FieldErrorType =
  | 'Invalid value'
  | 'Unsupported value'
  | 'Required value'
  | 'Forbidden'
  | 'Too long'
  | 'Too many'
  | 'Duplicate value'
  | 'Unknown field';

export interface FieldError {
  /** The field, as the apiserver names it: spec.disks[0].size, spec.nodeSelector[zone]. */
  path: string;
  type: FieldErrorType;
  detail: string;
  /** The offending value, shown as the apiserver shows it (omitted for Required and Unknown field). */
  value?: unknown;
}

function showValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (value === null || typeof value !== 'object') return String(value);
  return Array.isArray(value) ? '"array"' : '"object"';
}

export function formatFieldError(e: FieldError): string {
  const shown = e.value === undefined ? '' : `${showValue(e.value)}: `;
  return `${e.path}: ${e.type}: ${shown}${e.detail}`.replace(/: $/, '');
}

/** "/spec/disks/0/name" → "spec.disks[0].name" */
export function pathFromPointer(pointer: string): string {
  let out = '';
  for (const raw of pointer.split('/').slice(1)) {
    const part = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    out += /^\d+$/.test(part) ? `[${part}]` : out ? `.${part}` : part;
  }
  return out;
}

export function joinPath(base: string, child: string | number): string {
  if (typeof child === 'number') return `${base}[${child}]`;
  return base ? `${base}.${child}` : child;
}
