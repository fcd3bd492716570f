// How the HPA prints a *metav1.LabelSelector with %+v (its generated String()
// method) inside metric names and error messages, e.g.
// "external metric queue_length(&LabelSelector{MatchLabels:map[string]string{queue: jobs,},MatchExpressions:[]LabelSelectorRequirement{},})".

import type { LabelSelector } from './types.js';

export function formatLabelSelector(selector: LabelSelector | undefined): string {
  if (!selector) return 'nil';
  const labels = selector.matchLabels ?? {};
  const mapString = Object.keys(labels)
    .sort()
    .map((k) => `${k}: ${labels[k]},`)
    .join('');
  const expressions = (selector.matchExpressions ?? [])
    .map((e) => {
      const values = (e.values ?? []).join(' ');
      return `LabelSelectorRequirement{Key:${e.key},Operator:${e.operator},Values:[${values}],},`;
    })
    .join('');
  return (
    `&LabelSelector{MatchLabels:map[string]string{${mapString}},` +
    `MatchExpressions:[]LabelSelectorRequirement{${expressions}},}`
  );
}
