import { html, type Html } from './html';
import type { MessageKey } from './i18n';
import { layout, type ConsoleView } from './layout';
import { CONSOLE_PAGES, mayOpen } from './pages';

/** The sign-in, home and error pages (the feature pages render themselves, e.g. pws-page.ts). */
export function loginPage(v: ConsoleView, opts: { next: string; message?: MessageKey; params?: Record<string, string | number>; username?: string }): string {
  const message = opts.message ? html`<p class="notice" role="alert">${v.t(opts.message, opts.params)}</p>` : '';
  return layout(v, v.t('login.title'), html`${message}
<form method="post" action="/console/login" class="login">
  <input type="hidden" name="_csrf" value="${v.csrf}">
  <input type="hidden" name="next" value="${opts.next}">
  <label for="username">${v.t('login.username')}</label>
  <input id="username" name="username" autocomplete="username" required maxlength="64" value="${opts.username ?? ''}" autofocus>
  <label for="password">${v.t('login.password')}</label>
  <input id="password" name="password" type="password" autocomplete="current-password" required maxlength="1024">
  <button type="submit">${v.t('login.submit')}</button>
</form>`);
}

export function homePage(v: ConsoleView, scope: { regions: string[]; organizations: string[] }): string {
  const user = v.user;
  if (!user) return errorPage(v, 'error.forbidden');
  const pages = CONSOLE_PAGES.filter((p) => mayOpen(user.role, p)).map((p) => html`<li><a href="/console${p.path}">${v.t(p.label)}</a></li>`);
  const regions = scope.regions.length > 0 ? html`<p>${v.t('home.regions', { regions: scope.regions.join(', ') })}</p>` : '';
  const orgs = scope.organizations.length > 0 ? html`<p>${v.t('home.organizations', { organizations: scope.organizations.join(', ') })}</p>` : '';
  return layout(v, v.t('home.title'), html`<p>${v.t('home.signedInAs', { user: user.displayName ?? user.username, role: v.t(`role.${user.role}`) })}</p>
${regions}${orgs}
<h2>${v.t('home.pages')}</h2>
<ul class="pages">${pages}</ul>`);
}

/** An error as a page: `text` is the catalogue's message in the reader's language, when there is one. */
export function errorPage(v: ConsoleView, key: MessageKey, text?: string): string {
  const detail: Html | string = text ? html`<p>${text}</p>` : '';
  return layout(v, v.t('error.title'), html`<p class="notice" role="alert">${v.t(key)}</p>${detail}<p><a href="/console/">${v.t('error.back')}</a></p>`);
}
