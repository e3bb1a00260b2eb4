import { issue } from '../kernel';
import type { WalkContext } from './context';

/**
 * The XHTML rules of R4 narrative.html#xhtml (the reference validator's htmlChecks behind txt-1):
 * only the basic formatting elements of HTML 4.0 chapters 7-11 and 15, `<a>`, `<img>`, tables and
 * lists; no scripts, forms, frames, objects or event-handler attributes (`on…`), no `<base>`,
 * `<link>` or `<meta>`. This is the allow-list the spec gives, checked on the tags' names and
 * attribute names (the content model is not checked).
 */
const ELEMENTS: ReadonlySet<string> = new Set(('a abbr acronym address b big blockquote br caption cite code col colgroup dd dfn div dl dt ' +
  'em h1 h2 h3 h4 h5 h6 hr i img li ol p pre q samp small span strong sub sup table tbody td tfoot th thead tr tt ul var').split(' '));

const TAG = /<\/?([A-Za-z][A-Za-z0-9:_-]*)([^>]*)>/g;
const ATTRIBUTE = /([A-Za-z_:][A-Za-z0-9_.:-]*)\s*=/g;

/** The first thing the allow-list refuses, or undefined. */
export function xhtmlProblem(value: string): string | undefined {
  for (const m of value.matchAll(TAG)) {
    const name = (m[1] ?? '').toLowerCase();
    if (!ELEMENTS.has(name)) return `the element <${name}>`;
    for (const a of (m[2] ?? '').matchAll(ATTRIBUTE)) {
      if (/^on/i.test(a[1] ?? '')) return `the event-handler attribute ${a[1] ?? ''}`;
    }
  }
  return undefined;
}

export function checkXhtml(value: string, path: string, ctx: WalkContext): void {
  const what = xhtmlProblem(value);
  if (what) ctx.issues.push(issue('VAL-XHTML', { what }, path));
}
