import type { Request, Response } from 'express';
import type { ConsoleView } from '../console/layout';
import type { ConsolePageEntry } from '../console/pages';

/** A page handler: gets the view (language, user, CSRF token) and the request's principal, returns HTML. */
export type PageRender = (view: ConsoleView, req: Request, res: Response) => Promise<string | void> | string | void;

/** Registers pages on the console router with sign-in, role check and (for POST) the CSRF check done. */
export interface ConsolePages {
  get(entry: Pick<ConsolePageEntry, 'roles'>, path: string, render: PageRender): void;
  post(entry: Pick<ConsolePageEntry, 'roles'>, path: string, handle: PageRender): void;
}
