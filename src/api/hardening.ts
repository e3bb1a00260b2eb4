import type { RequestHandler } from 'express';
import { fail, isInvalidText } from '../kernel';

/**
 * Request and response hardening applied to every request, before any router (issue 8 item 7):
 * text that can never be valid is refused before it can reach SQL, and every response carries the
 * security headers. Design and threat model: docs/security.md.
 */

export { isInvalidText } from '../kernel';

function decoded(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    // A malformed escape is not decoded by the routers either; it reaches no SQL as NUL.
    return segment;
  }
}

/** 400 for a path segment or query parameter (name or value) holding NUL or a lone surrogate. */
export const refuseInvalidText: RequestHandler = (req, _res, next) => {
  const url = req.originalUrl;
  const q = url.indexOf('?');
  const path = q < 0 ? url : url.slice(0, q);
  if (path.split('/').some((s) => isInvalidText(decoded(s)))) fail('HTTP-TEXT-INVALID', { where: 'request path' });
  if (q >= 0) {
    for (const [k, v] of new URLSearchParams(url.slice(q + 1))) {
      if (isInvalidText(k) || isInvalidText(v)) fail('HTTP-TEXT-INVALID', { where: `query parameter ${isInvalidText(k) ? '(name)' : k.slice(0, 40)}` });
    }
  }
  next();
};

/**
 * Every response: no MIME sniffing, no referrer, nothing cached (PHI: a shared cache or the browser
 * history must not keep a patient's data; the public documents are small enough not to need
 * caching either), and a Content-Security-Policy that lets an API response load, run and frame
 * nothing. The console (a later issue) loosens the CSP for /console only.
 */
export const securityHeaders: RequestHandler = (_req, res, next) => {
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Referrer-Policy', 'no-referrer');
  res.setHeader('Cache-Control', 'no-store');
  res.setHeader('Content-Security-Policy', "default-src 'none'; frame-ancestors 'none'");
  res.setHeader('X-Frame-Options', 'DENY');
  res.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
  next();
};
