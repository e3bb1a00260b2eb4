import type { Request, Response } from 'express';
import type { Principal } from '../auth/tokens';
import { fail } from '../kernel';
import { html, query, type Html } from '../console/html';
import type { MessageKey } from '../console/i18n';
import { layout, type ConsoleView } from '../console/layout';
import { RELAY_PAGE, SUBMISSIONS_PAGE } from '../console/pages';
import { relayHealth, resumeOrganization, type RelayHealthDeps } from '../ops/relay-health';
import { listTransactions, resend, resendInput, transactionDetail, type TransactionDeps } from '../ops/transactions';
import { SUBMISSION_SYSTEM } from '../audit/codes';
import { noteAudit } from './audit.middleware';
import type { ConsolePages } from './console-pages';
import { consoleOf } from './console-session';

/**
 * /console/submissions (the transaction log, a submission in full, re-send with a reason) and
 * /console/relay (relay health, resume): pages over the src/ops services, which ask the access
 * decision with the signed-in person's principal (issue 11 items 2 and 4).
 */
export interface OpsPageDeps {
  transactions: TransactionDeps;
  relayHealth: RelayHealthDeps;
}

/** The signed-in person's principal (pages.get/post only call a render once someone is signed in). */
export function principal(res: Response): Principal {
  return consoleOf(res).principal ?? fail('AUTH-MISSING');
}

const STATUSES = ['accepted', 'relaying', 'delivered', 'rejected', 'failed'] as const;
const pretty = (v: unknown): string => JSON.stringify(v, null, 2);
const params = (req: Request): Record<string, unknown> => req.query as Record<string, unknown>;
const str = (v: unknown): string => (typeof v === 'string' ? v : '');

function filterForm(v: ConsoleView, q: Record<string, unknown>): Html {
  const status = str(q.status);
  return html`<form method="get" action="/console/submissions" class="filters">
  <label>${v.t('ops.status')} <select name="status"><option value="">${v.t('ops.any')}</option>${STATUSES.map((s) => html`<option value="${s}"${s === status ? html` selected` : ''}>${s}</option>`)}</select></label>
  <label>${v.t('ops.organization')} <input name="organization" inputmode="numeric" value="${str(q.organization)}"></label>
  <label>${v.t('ops.from')} <input type="date" name="from" value="${str(q.from)}"></label>
  <label>${v.t('ops.to')} <input type="date" name="to" value="${str(q.to)}"></label>
  <button type="submit">${v.t('ops.filter')}</button></form>`;
}

function reasonField(v: ConsoleView, id: string): Html {
  return html`<label for="${id}">${v.t('ops.reason')}</label><textarea id="${id}" name="reason" required maxlength="500" rows="2"></textarea>`;
}

const RESEND_REASONS = new Set(['delivered', 'already-queued', 'not-found']);

function resentNote(v: ConsoleView, q: Record<string, unknown>): Html | '' {
  if (q.resent === undefined) return '';
  // Only the reasons the re-send answers with: `why` comes from the address bar.
  const why = str(q.why).split(',').filter((w) => RESEND_REASONS.has(w)).map((w) => v.t(`ops.why.${w}` as MessageKey));
  return html`<p class="notice" role="status">${v.t('ops.resent', { n: str(q.resent), m: str(q.not) })} ${why.join('; ')}</p>`;
}

async function listPage(v: ConsoleView, req: Request, res: Response, deps: OpsPageDeps, admin: boolean): Promise<string> {
  const q = params(req);
  const page = await listTransactions(principal(res), q, deps.transactions);
  const rows = page.items.map((s) => html`<tr>
    ${admin ? html`<td><input type="checkbox" name="ids" value="${s.id}" aria-label="${v.t('ops.select', { id: s.submissionId })}"${s.status === 'failed' || s.status === 'rejected' ? '' : html` disabled`}></td>` : ''}
    <td><a href="/console/submissions/${s.id}">${s.submissionId}</a></td><td>${s.organizationId}</td><td><span class="status status-${s.status}">${s.status}</span></td>
    <td>${s.receivedAt}</td><td>${s.relay?.attempts ?? ''}</td><td>${s.relay?.lastError ?? ''}</td></tr>`);
  const table = page.items.length === 0 ? html`<p>${v.t('ops.none')}</p>` : html`<table><thead><tr>${admin ? html`<th scope="col"><span class="visually-hidden">${v.t('ops.resend')}</span></th>` : ''}
    <th scope="col">${v.t('ops.submissionId')}</th><th scope="col">${v.t('ops.organization')}</th><th scope="col">${v.t('ops.status')}</th>
    <th scope="col">${v.t('ops.receivedAt')}</th><th scope="col">${v.t('ops.attempts')}</th><th scope="col">${v.t('ops.lastError')}</th></tr></thead><tbody>${rows}</tbody></table>`;
  const next = page.next ? html`<p><a href="/console/submissions${query({ status: str(q.status), organization: str(q.organization), from: str(q.from), to: str(q.to), cursor: page.next })}">${v.t('ops.next')}</a></p>` : '';
  const body = admin && page.items.length > 0
    ? html`<form method="post" action="/console/submissions/resend"><input type="hidden" name="_csrf" value="${v.csrf}">${table}${reasonField(v, 'reason-many')}<button type="submit">${v.t('ops.resendSelected')}</button></form>`
    : table;
  return layout(v, v.t('nav.submissions'), html`${resentNote(v, q)}${filterForm(v, q)}${body}${next}`);
}

function issueRows(v: ConsoleView, issues: readonly { severity?: string; expression?: string[]; diagnostics?: string; details?: { text?: string } }[]): Html {
  return html`<table><thead><tr><th scope="col">${v.t('val.severity')}</th><th scope="col">${v.t('val.location')}</th><th scope="col">${v.t('val.message')}</th></tr></thead><tbody>${issues.map((i) =>
    html`<tr><td>${i.severity ?? ''}</td><td><code>${(i.expression ?? []).join(', ')}</code></td><td>${v.lang === 'id' ? i.details?.text ?? i.diagnostics ?? '' : i.diagnostics ?? ''}</td></tr>`)}</tbody></table>`;
}

async function detailPage(v: ConsoleView, req: Request, res: Response, deps: OpsPageDeps, admin: boolean): Promise<string> {
  const s = await transactionDetail(principal(res), String(req.params.id), deps.transactions);
  noteAudit(res, { resources: s.resources.map((r) => { const [resourceType = '', id = ''] = r.ref.split('/'); return { resourceType, id }; }) });
  const resendForm = admin && (s.status === 'failed' || s.status === 'rejected') ? html`<form method="post" action="/console/submissions/resend" class="resend">
    <input type="hidden" name="_csrf" value="${v.csrf}"><input type="hidden" name="ids" value="${s.id}"><input type="hidden" name="back" value="detail">
    ${reasonField(v, 'reason-one')}<button type="submit">${v.t('ops.resend')}</button></form>` : '';
  const events = html`<table><thead><tr><th scope="col">${v.t('ops.at')}</th><th scope="col">${v.t('ops.event')}</th><th scope="col">${v.t('ops.lastError')}</th></tr></thead><tbody>${s.events.map((e) =>
    html`<tr><td>${e.at}</td><td>${e.kind}</td><td>${str(e.detail.error ?? e.detail.reason)}</td></tr>`)}</tbody></table>`;
  const outbox = s.outbox.map((o) => html`<li>${v.t('ops.version')} ${o.version}: ${o.status}, ${v.t('ops.attempts')} ${o.attempts}${o.lastError ? html` · ${o.lastError}` : ''}</li>`);
  const fhir = s.resources.map((r) => html`<details><summary>${r.ref}${r.nationalId ? html` · ${v.t('ops.nationalId')} ${r.nationalId}` : ''}</summary><pre tabindex="0">${pretty(r.resource ?? null)}</pre></details>`);
  return layout(v, v.t('ops.detail', { id: s.submissionId }), html`${resentNote(v, params(req))}
<dl class="facts"><dt>${v.t('ops.status')}</dt><dd><span class="status status-${s.status}">${s.status}</span></dd><dt>${v.t('ops.organization')}</dt><dd>${s.organizationId}</dd>
<dt>${v.t('ops.receivedAt')}</dt><dd>${s.receivedAt}</dd><dt>${v.t('ops.version')}</dt><dd>${s.version}</dd></dl>
${resendForm}
<h2>${v.t('ops.national')}</h2>${s.nationalOutcome ? issueRows(v, s.nationalOutcome.issue) : html`<p>${v.t('ops.none')}</p>`}
<h2>${v.t('ops.relayHistory')}</h2><ul>${outbox}</ul>${events}
<h2>${v.t('ops.warnings')}</h2>${s.warnings.length > 0 ? issueRows(v, s.warnings) : html`<p>${v.t('ops.none')}</p>`}
<h2>${v.t('ops.payload')}</h2>${s.nikVisible ? '' : html`<p class="note">${v.t('ops.nikMasked')}</p>`}<pre tabindex="0">${pretty(s.payload)}</pre>
<h2>${v.t('ops.fhir')}</h2>${fhir}`);
}

export function registerOpsPages(pages: ConsolePages, deps: OpsPageDeps): void {
  const isAdmin = (res: Response): boolean => consoleOf(res).user?.role === 'admin';
  pages.get(SUBMISSIONS_PAGE, '/submissions', (v, req, res) => listPage(v, req, res, deps, isAdmin(res)));
  pages.get(SUBMISSIONS_PAGE, '/submissions/:id', (v, req, res) => detailPage(v, req, res, deps, isAdmin(res)));
  pages.post(SUBMISSIONS_PAGE, '/submissions/resend', async (_v, req, res) => {
    const form = req.body as Record<string, unknown>;
    const { ids, reason } = resendInput({ ids: Array.isArray(form.ids) ? form.ids : [form.ids].filter((i) => i !== undefined), reason: form.reason });
    noteAudit(res, { identifiers: ids.map((value) => ({ system: SUBMISSION_SYSTEM, value })), reason });
    const out = await resend(principal(res), ids, reason, deps.transactions);
    const q = query({ resent: String(out.resent.length), not: String(out.notResent.length), why: [...new Set(out.notResent.map((n) => n.why))].join(',') });
    res.redirect(303, form.back === 'detail' && ids.length === 1 ? `/console/submissions/${ids[0]}${q}` : `/console/submissions${q}`);
  });
  pages.get(RELAY_PAGE, '/relay', async (v, req, res) => relayPage(v, req, res, deps));
  pages.post(RELAY_PAGE, '/relay/resume', async (_v, req, res) => {
    const org = str((req.body as Record<string, unknown>).organizationId);
    await resumeOrganization(principal(res), org, deps.relayHealth);
    res.redirect(303, `/console/relay${query({ resumed: org })}`);
  });
}

async function relayPage(v: ConsoleView, req: Request, res: Response, deps: OpsPageDeps): Promise<string> {
  const h = await relayHealth(principal(res), deps.relayHealth);
  const resumed = str(params(req).resumed);
  const card = (label: string, value: number | string) => html`<li class="card"><h3>${label}</h3><p class="value">${value}</p></li>`;
  const counts = (rows: readonly { cause: string; count: number; status?: string }[]) => rows.length === 0 ? html`<p>${v.t('ops.none')}</p>` : html`<table><thead><tr>
    <th scope="col">${v.t('relay.cause')}</th><th scope="col">${v.t('conf.count')}</th></tr></thead><tbody>${rows.map((r) => html`<tr><td>${r.status ? `${r.status}: ` : ''}${r.cause}</td><td>${r.count}</td></tr>`)}</tbody></table>`;
  const paused = h.paused.length === 0 ? html`<p>${v.t('ops.none')}</p>` : html`<table><thead><tr><th scope="col">${v.t('ops.organization')}</th><th scope="col">${v.t('ops.reason')}</th>
    <th scope="col">${v.t('relay.pausedAt')}</th><th scope="col"><span class="visually-hidden">${v.t('relay.resume')}</span></th></tr></thead><tbody>${h.paused.map((p) => html`<tr><td>${p.organizationId}</td><td>${p.reason}</td><td>${p.pausedAt}</td>
    <td><form method="post" action="/console/relay/resume"><input type="hidden" name="_csrf" value="${v.csrf}"><input type="hidden" name="organizationId" value="${p.organizationId}">
    <button type="submit" aria-label="${v.t('relay.resume')} ${p.organizationId}">${v.t('relay.resume')}</button></form></td></tr>`)}</tbody></table>`;
  return layout(v, v.t('relay.title'), html`${resumed ? html`<p class="notice" role="status">${v.t('relay.resumed', { org: resumed })}</p>` : ''}
<p>${h.running ? v.t('relay.circuit', { state: h.circuit ?? '' }) : v.t('relay.notRunning')}</p>
<ul class="cards">${card(v.t('relay.pending'), h.queue.pending)}${card(v.t('relay.claimed'), h.queue.claimed)}${card(v.t('relay.failed'), h.queue.failed)}</ul>
<h2>${v.t('relay.oldest')}</h2>${h.oldest ? html`<p><a href="/console/submissions/${h.oldest.id}">${h.oldest.submissionId}</a> (${h.oldest.organizationId}) ${v.t('relay.since', { at: h.oldest.waitingSince })}</p>` : html`<p>${v.t('ops.none')}</p>`}
<h2>${v.t('relay.causes')}</h2>${counts(h.failures)}
<h2>${v.t('relay.retrying')}</h2>${counts(h.retrying)}
<h2>${v.t('relay.paused')}</h2>${paused}`);
}
