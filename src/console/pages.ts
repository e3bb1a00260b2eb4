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

// --- console-ops (issue 11 items 2-4): the operations data of src/ops/ ---
export const SUBMISSIONS_PAGE: ConsolePageEntry = { path: '/submissions', label: 'nav.submissions', roles: ['admin', 'vendor-support'] };
export const CONFORMANCE_PAGE: ConsolePageEntry = { path: '/conformance', label: 'nav.conformance', roles: ['admin', 'vendor-support'] };
export const VALIDATE_PAGE: ConsolePageEntry = { path: '/conformance/validate', label: 'nav.validate', roles: ['admin', 'vendor-support', 'tester'] };
export const RELAY_PAGE: ConsolePageEntry = { path: '/relay', label: 'nav.relay', roles: ['admin'] };

/** In navigation order. */
export const CONSOLE_PAGES: ConsolePageEntry[] = [PWS_PAGE, SUBMISSIONS_PAGE, CONFORMANCE_PAGE, VALIDATE_PAGE, RELAY_PAGE];

export function mayOpen(role: ConsoleRole, page: Pick<ConsolePageEntry, 'roles'>): boolean {
  return page.roles.includes(role);
}
