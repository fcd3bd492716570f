// Kubernetes label selectors: the string form ("app=web,tier in (a,b),!canary")
// and the structured form (matchLabels / matchExpressions), both compiled to a
// predicate over a label map.

export interface LabelSelectorRequirement {
  key: string;
  operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';
  values?: string[];
}

export interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: LabelSelectorRequirement[];
}

export type LabelMatcher = (labels: Record<string, string> | undefined) => boolean;

function matchRequirement(r: LabelSelectorRequirement, labels: Record<string, string>): boolean {
  const has = Object.prototype.hasOwnProperty.call(labels, r.key);
  switch (r.operator) {
    case 'In':
      return has && (r.values ?? []).includes(labels[r.key]!);
    case 'NotIn':
      return !has || !(r.values ?? []).includes(labels[r.key]!);
    case 'Exists':
      return has;
    case 'DoesNotExist':
      return !has;
  }
}

function matcherOf(requirements: LabelSelectorRequirement[]): LabelMatcher {
  return (labels) => requirements.every((r) => matchRequirement(r, labels ?? {}));
}

/** Structured selector → requirements. An empty selector matches everything. */
const operators = ['In', 'NotIn', 'Exists', 'DoesNotExist'] as const;
const isOperator = (op: string): op is LabelSelectorRequirement['operator'] => (operators as readonly string[]).includes(op);

/** A selector as an API object spells it (operator any string), checked as apimachinery's LabelSelectorAsSelector checks it. */
export function parseLabelSelector(s: { matchLabels?: Record<string, string>; matchExpressions?: { key: string; operator: string; values?: string[] }[] }): LabelSelector {
  return {
    ...(s.matchLabels ? { matchLabels: s.matchLabels } : {}),
    matchExpressions: (s.matchExpressions ?? []).map((e) => {
      if (!isOperator(e.operator)) throw new Error(`${JSON.stringify(e.operator)} is not a valid label selector operator`);
      return { key: e.key, operator: e.operator, ...(e.values ? { values: e.values } : {}) };
    }),
  };
}

export function requirementsOf(selector: LabelSelector): LabelSelectorRequirement[] {
  return [
    ...Object.entries(selector.matchLabels ?? {}).map(([key, v]) => ({ key, operator: 'In' as const, values: [v] })),
    ...(selector.matchExpressions ?? []),
  ];
}

export function selectorMatcher(selector: LabelSelector): LabelMatcher {
  return matcherOf(requirementsOf(selector));
}

/** Parses the string form of a selector, as kubectl -l and the /scale subresource use. */
export function parseSelector(text: string): LabelSelectorRequirement[] {
  const requirements: LabelSelectorRequirement[] = [];
  // Split on commas that are not inside a (...) value set.
  const parts: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of text) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      parts.push(current);
      current = '';
    } else current += ch;
  }
  parts.push(current);
  for (const raw of parts.map((p) => p.trim()).filter(Boolean)) {
    let m: RegExpExecArray | null;
    if ((m = /^([^\s!=]+)\s+(in|notin)\s+\(([^)]*)\)$/i.exec(raw))) {
      const values = m[3]!.split(',').map((v) => v.trim()).filter(Boolean);
      requirements.push({ key: m[1]!, operator: m[2]!.toLowerCase() === 'in' ? 'In' : 'NotIn', values });
    } else if ((m = /^([^\s!=]+)\s*!=\s*(\S*)$/.exec(raw))) {
      requirements.push({ key: m[1]!, operator: 'NotIn', values: [m[2]!] });
    } else if ((m = /^([^\s!=]+)\s*==?\s*(\S*)$/.exec(raw))) {
      requirements.push({ key: m[1]!, operator: 'In', values: [m[2]!] });
    } else if ((m = /^!\s*(\S+)$/.exec(raw))) {
      requirements.push({ key: m[1]!, operator: 'DoesNotExist' });
    } else if (/^[^\s!=(),]+$/.test(raw)) {
      requirements.push({ key: raw, operator: 'Exists' });
    } else {
      throw new Error(`invalid label selector "${text}": cannot parse "${raw}"`);
    }
  }
  return requirements;
}

export function stringSelectorMatcher(text: string): LabelMatcher {
  return matcherOf(parseSelector(text));
}

/** The string form of a structured selector. */
export function formatSelector(selector: LabelSelector): string {
  return requirementsOf(selector)
    .map((r) => {
      switch (r.operator) {
        case 'In':
          return r.values?.length === 1 ? `${r.key}=${r.values[0]}` : `${r.key} in (${(r.values ?? []).join(',')})`;
        case 'NotIn':
          return `${r.key} notin (${(r.values ?? []).join(',')})`;
        case 'Exists':
          return r.key;
        case 'DoesNotExist':
          return `!${r.key}`;
      }
    })
    .join(',');
}
