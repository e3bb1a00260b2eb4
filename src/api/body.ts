import express, { NextFunction, Request, RequestHandler, Response } from 'express';
import { fail } from '../kernel';
import { isInvalidText } from './hardening';

const JSON_TYPES = ['application/json', 'application/fhir+json', 'application/*+json'];
/** Keys that can reach Object.prototype when a body is merged or spread later on. */
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/** Parses JSON bodies up to `limitBytes`; parse errors reach the error handler as body-parser errors. */
export function jsonBody(limitBytes: number): RequestHandler {
  return express.json({ limit: limitBytes, type: JSON_TYPES, strict: false });
}

/** POST/PUT must declare a JSON media type; anything else is 415, never parsed. */
export function requireJson(req: Request, _res: Response, next: NextFunction): void {
  if (!req.is(JSON_TYPES)) fail('HTTP-MEDIA-TYPE', { type: req.headers['content-type'] ?? '(none)' });
  next();
}

/**
 * Rejects hostile shapes before any schema sees them: nesting deeper than `maxDepth` (the intake
 * schema needs 5 levels), prototype-pollution keys, and keys or strings holding NUL or a lone
 * surrogate (400 before they can reach SQL, src/api/hardening.ts). Iterative, so a deep body
 * cannot overflow the stack here.
 */
export function scanJson(value: unknown, maxDepth: number): void {
  const stack: { v: unknown; depth: number; path: string }[] = [{ v: value, depth: 1, path: '' }];
  while (stack.length > 0) {
    const { v, depth, path } = stack.pop()!;
    if (typeof v === 'string' && isInvalidText(v)) fail('HTTP-TEXT-INVALID', { where: 'request body' }, path || undefined);
    if (v === null || typeof v !== 'object') continue;
    if (depth > maxDepth) fail('HTTP-BODY-TOO-DEEP', { limit: maxDepth }, path || undefined);
    if (Array.isArray(v)) {
      v.forEach((child, i) => stack.push({ v: child, depth: depth + 1, path: `${path}[${i}]` }));
      continue;
    }
    for (const key of Object.keys(v)) {
      const childPath = path ? `${path}.${key}` : key;
      if (FORBIDDEN_KEYS.has(key)) fail('HTTP-BODY-FORBIDDEN-KEY', { key }, childPath);
      if (isInvalidText(key)) fail('HTTP-TEXT-INVALID', { where: 'request body (a key)' }, path || undefined);
      stack.push({ v: (v as Record<string, unknown>)[key], depth: depth + 1, path: childPath });
    }
  }
}

export function safeJson(maxDepth: number): RequestHandler {
  return (req, _res, next) => {
    scanJson(req.body, maxDepth);
    next();
  };
}
