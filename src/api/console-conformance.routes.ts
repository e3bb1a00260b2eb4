import type { Request, Response } from 'express';
import type { OperationOutcome } from 'fhir/r4';
import { html, query, type Html } from '../console/html';
import { formatNumber } from '../console/i18n';
import { layout, type ConsoleView } from '../console/layout';
import { CONFORMANCE_PAGE, VALIDATE_PAGE } from '../console/pages';
import { conformanceReport, listAttempts, type ConformanceDeps } from '../ops/conformance';
import type { ConsolePages } from './console-pages';
import { principal } from './console-ops.routes';

/**
 * /console/conformance (share accepted per organisation and client, top errors, masked examples)
 * and /console/conformance/validate (a tester pastes a file; `$validate` lists each issue at its
 * FHIRPath location; nothing is stored). Issue 11 item 3.
 */
export interface ConformancePageDeps {
  conformance: ConformanceDeps;
  /** `$validate` as POST /fhir/$validate runs it (src/validation/operation.ts). */
  validate(body: unknown, mode: string): { status: number; valid: boolean; outcome: OperationOutcome };
}

const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const percent = (v: ConsoleView, share: number | null): string => (share === null ? '–' : `${formatNumber(v.lang, Math.round(share * 1000) / 10)} %`);

function filters(v: ConsoleView, q: Record<string, unknown>): Html {
  const bucket = str(q.bucket) || 'day';
  return html`<form method="get" action="/console/conformance" class="filters">
  <label>${v.t('ops.organization')} <input name="organization" inputmode="numeric" value="${str(q.organization)}"></label>
  <label>${v.t('ops.client')} <input name="client" value="${str(q.client)}"></label>
  <label>${v.t('ops.from')} <input type="date" name="from" value="${str(q.from)}"></label>
  <label>${v.t('ops.to')} <input type="date" name="to" value="${str(q.to)}"></label>
  <label>${v.t('conf.bucket')} <select name="bucket">${(['day', 'week'] as const).map((b) => html`<option value="${b}"${b === bucket ? html` selected` : ''}>${v.t(`conf.${b}`)}</option>`)}</select></label>
  <button type="submit">${v.t('ops.filter')}</button></form>`;
}

async function examples(v: ConsoleView, res: Response, q: Record<string, unknown>, deps: ConformancePageDeps): Promise<Html | ''> {
  const errorCode = str(q.errorCode);
  if (!errorCode) return '';
  const page = await listAttempts(principal(res), { ...q, limit: '10' }, deps.conformance);
  const items = page.items.map((a) => html`<li><p>${a.at} · ${a.clientId ?? ''} · ${a.organizationId ?? ''} · HTTP ${a.status}${a.line ? ` · line ${a.line}` : ''}</p>
    <ul>${a.issues.map((i) => html`<li><code>${i.errorCode ?? i.code}</code> <code>${i.expression ?? ''}</code> ${i.diagnostics ?? ''}</li>`)}</ul>
    ${a.payload !== undefined ? html`<details><summary>${v.t('ops.payload')}</summary><pre tabindex="0">${JSON.stringify(a.payload, null, 2)}</pre></details>` : html`<p>${v.t('conf.noPayload', { bytes: a.payloadBytes ?? 0 })}</p>`}</li>`);
  return html`<section id="examples"><h2>${v.t('conf.examplesOf', { code: errorCode, element: str(q.expression) || '–' })}</h2><p class="note">${v.t('conf.masked')}</p>
    ${items.length > 0 ? html`<ol class="examples">${items}</ol>` : html`<p>${v.t('ops.none')}</p>`}</section>`;
}

async function conformancePage(v: ConsoleView, req: Request, res: Response, deps: ConformancePageDeps): Promise<string> {
  const q = req.query as Record<string, unknown>;
  const base = { organization: str(q.organization), client: str(q.client), from: str(q.from), to: str(q.to), bucket: str(q.bucket) };
  const r = await conformanceReport(principal(res), q, deps.conformance);
  const th = html`<th scope="col">${v.t('conf.accepted')}</th><th scope="col">${v.t('conf.refused')}</th><th scope="col">${v.t('conf.share')}</th>`;
  const groups = r.groups.map((g) => html`<tr><td>${g.organizationId ?? '–'}</td><td>${g.clientId ?? v.t('conf.unknownClient')}</td><td>${g.accepted}</td><td>${g.refused}</td><td>${percent(v, g.shareAccepted)}</td>
    <td>${g.points.map((p) => `${p.bucket}: ${percent(v, p.shareAccepted)}`).join(' · ')}</td></tr>`);
  const errors = r.topErrors.map((e) => html`<tr><td><code>${e.errorCode}</code></td><td><code>${e.expression ?? '–'}</code></td><td>${e.count}</td>
    <td><a href="/console/conformance${query({ ...base, errorCode: e.errorCode, ...(e.expression ? { expression: e.expression } : {}) })}#examples">${v.t('conf.examples')}</a></td></tr>`);
  return layout(v, v.t('conf.title'), html`${filters(v, q)}
<p>${v.t('conf.total')}: ${v.t('conf.accepted')} ${r.total.accepted}, ${v.t('conf.refused')} ${r.total.refused}, ${v.t('conf.share')} ${percent(v, r.total.shareAccepted)} (${r.from.slice(0, 10)} – ${r.to.slice(0, 10)})</p>
<table><thead><tr><th scope="col">${v.t('ops.organization')}</th><th scope="col">${v.t('ops.client')}</th>${th}<th scope="col">${v.t(r.bucket === 'week' ? 'conf.week' : 'conf.day')}</th></tr></thead><tbody>${groups}</tbody></table>
<h2>${v.t('conf.topErrors')}</h2>${errors.length > 0 ? html`<table class="top-errors"><thead><tr><th scope="col">${v.t('conf.errorCode')}</th><th scope="col">${v.t('conf.element')}</th><th scope="col">${v.t('conf.count')}</th><th scope="col">${v.t('conf.examples')}</th></tr></thead><tbody>${errors}</tbody></table>` : html`<p>${v.t('ops.none')}</p>`}
${await examples(v, res, q, deps)}`);
}

function validateForm(v: ConsoleView, content: string, mode: string): Html {
  return html`<p>${v.t('val.intro')}</p><form method="post" action="/console/conformance/validate" class="validate">
  <input type="hidden" name="_csrf" value="${v.csrf}">
  <label for="val-content">${v.t('val.content')}</label><textarea id="val-content" name="content" rows="12" required>${content}</textarea>
  <fieldset><legend>${v.t('val.mode')}</legend>
  <label><input type="radio" name="mode" value="ilp"${mode !== 'r4' ? html` checked` : ''}> ${v.t('val.modeIlp')}</label>
  <label><input type="radio" name="mode" value="r4"${mode === 'r4' ? html` checked` : ''}> ${v.t('val.modeR4')}</label></fieldset>
  <button type="submit">${v.t('val.submit')}</button></form>`;
}

function outcomeTable(v: ConsoleView, valid: boolean, outcome: OperationOutcome): Html {
  const errors = outcome.issue.filter((i) => i.severity === 'error' || i.severity === 'fatal').length;
  const rows = outcome.issue.map((i) => html`<tr><td>${i.severity}</td><td><code class="fhirpath">${(i.expression ?? []).join(', ')}</code></td><td>${v.lang === 'id' ? i.details?.text ?? i.diagnostics ?? '' : i.diagnostics ?? ''}</td></tr>`);
  return html`<section id="result"><p class="${valid ? 'ok' : 'notice'}" role="status">${valid ? v.t('val.valid') : v.t('val.invalid', { n: errors })}</p>
  <table class="issues"><thead><tr><th scope="col">${v.t('val.severity')}</th><th scope="col">${v.t('val.location')}</th><th scope="col">${v.t('val.message')}</th></tr></thead><tbody>${rows}</tbody></table></section>`;
}

export function registerConformancePages(pages: ConsolePages, deps: ConformancePageDeps): void {
  pages.get(CONFORMANCE_PAGE, '/conformance', (v, req, res) => conformancePage(v, req, res, deps));
  pages.get(VALIDATE_PAGE, '/conformance/validate', (v) => layout(v, v.t('val.title'), validateForm(v, '', 'ilp')));
  pages.post(VALIDATE_PAGE, '/conformance/validate', (v, req) => {
    const form = req.body as Record<string, unknown>;
    const content = str(form.content);
    const mode = str(form.mode) === 'r4' ? 'r4' : 'ilp';
    let body: unknown = content;
    try {
      body = JSON.parse(content);
    } catch {
      // left as text: $validate answers that it is not JSON, at its location
    }
    const out = deps.validate(body, mode);
    return layout(v, v.t('val.title'), html`${validateForm(v, content, mode)}${outcomeTable(v, out.valid, out.outcome)}`);
  });
}
