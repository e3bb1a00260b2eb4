import type { ConsoleRole } from '../store/console-ports';
import { Html, html } from './html';
import { LANGS, type Lang, type Translate } from './i18n';
import { CONSOLE_PAGES, mayOpen } from './pages';

/** What every page knows about its request (built by src/api/console.routes.ts). */
export interface ConsoleView {
  lang: Lang;
  t: Translate;
  /** The request's path and query under /console (for the language switch and sign-in redirects). */
  url: URL;
  /** Undefined on the sign-in page. */
  user?: { username: string; role: ConsoleRole; displayName?: string };
  /** The token every form carries as `_csrf`. */
  csrf: string;
  authDisabled: boolean;
}

export const ASSET_VERSION = '1';

function languageSwitch(v: ConsoleView): Html {
  const links = LANGS.map((lang) => {
    const u = new URL(v.url.href);
    u.searchParams.set('lang', lang);
    const label = lang === 'id' ? 'Bahasa Indonesia' : 'English';
    return lang === v.lang ? html`<li><span aria-current="true">${label}</span></li>` : html`<li><a href="${u.pathname + u.search}" hreflang="${lang}" lang="${lang}">${label}</a></li>`;
  });
  return html`<nav class="lang" aria-label="${v.t('nav.language')}"><ul>${links}</ul></nav>`;
}

function navigation(v: ConsoleView): Html {
  if (!v.user) return html``;
  const role = v.user.role;
  const here = v.url.pathname;
  const items = [{ path: '/', label: v.t('nav.home') }, ...CONSOLE_PAGES.filter((p) => mayOpen(role, p)).map((p) => ({ path: p.path, label: v.t(p.label) }))]
    .map(({ path, label }) => {
      const href = `/console${path}`;
      const current = here === href || (path === '/' && here === '/console/');
      return html`<li><a href="${href}"${current ? html` aria-current="page"` : ''}>${label}</a></li>`;
    });
  const signOut = v.authDisabled ? '' : html`<form method="post" action="/console/logout" class="signout">
      <input type="hidden" name="_csrf" value="${v.csrf}"><button type="submit">${v.t('nav.signOut')}</button></form>`;
  return html`<nav class="main" aria-label="${v.t('nav.main')}"><ul>${items}</ul>${signOut}</nav>`;
}

/** The whole document: one stylesheet, one small script, everything served by the gateway. */
export function layout(v: ConsoleView, title: string, body: Html): string {
  const banner = v.authDisabled ? html`<div class="banner" role="alert">${v.t('banner.authDisabled')}</div>` : '';
  const who = v.user ? html`<span class="who">${v.user.displayName ?? v.user.username} · ${v.t(`role.${v.user.role}`)}</span>` : '';
  return html`<!doctype html>
<html lang="${v.lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} · ${v.t('app.name')}</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/console/assets/console.css?v=${ASSET_VERSION}">
<script src="/console/assets/console.js?v=${ASSET_VERSION}" defer></script>
</head>
<body>
<a class="skip" href="#main">${v.t('app.skip')}</a>
${banner}
<header><span class="brand">${v.t('app.name')}</span>${who}${languageSwitch(v)}</header>
${navigation(v)}
<main id="main" tabindex="-1">
<h1>${title}</h1>
${body}
</main>
</body>
</html>
`.value;
}
