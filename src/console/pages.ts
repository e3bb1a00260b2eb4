import type { ConsoleRole } from '../store/console-ports';
import type { MessageKey } from './i18n';

/**
 * The console's pages as data: the navigation shows a page to the roles listed, and the router
 * (src/api/console.routes.ts) refuses the others (403) with the same list. A new page adds one
 * entry here and its handler with `pages.get(entry, render)`.
 */
export interface ConsolePageEntry {
  /** Path under /console, e.g. '/pws'. */
  path: string;
  label: MessageKey;
  roles: readonly ConsoleRole[];
}

export const PWS_PAGE: ConsolePageEntry = { path: '/pws', label: 'nav.pws', roles: ['admin', 'district', 'vendor-support'] };

/** In navigation order. */
export const CONSOLE_PAGES: ConsolePageEntry[] = [PWS_PAGE];

export function mayOpen(role: ConsoleRole, page: Pick<ConsolePageEntry, 'roles'>): boolean {
  return page.roles.includes(role);
}
