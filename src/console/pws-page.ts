import type { IndicatorResult } from '../pws/engine';
import { INDICATOR_RULES } from '../pws/registry';
import { ancestry, type AreaTable } from './areas';
import { html, query, type Html } from './html';
import { formatNumber, type MessageKey } from './i18n';
import { layout, type ConsoleView } from './layout';
import type { ChildRow, Dashboard, Direction, TargetStatus } from './pws-dashboard';
import { pwsChart, trendLine } from './pws-chart';

/** The PWS dashboard page: filters, breadcrumbs, indicator cards with trends, the PWS chart and the ranking. */
const LEVEL: Record<number, MessageKey> = { 2: 'pws.level.province', 4: 'pws.level.city', 6: 'pws.level.district', 10: 'pws.level.village' };

const pct = (v: ConsoleView, n: number | null | undefined): string => (n === null || n === undefined ? '–' : `${formatNumber(v.lang, n)}%`);
const num = (n: number | null | undefined): string => (n === null || n === undefined ? '–' : String(n));

export function areaLabel(areas: AreaTable, v: ConsoleView, code: string): string {
  return code === '' ? v.t('pws.country') : `${areas.name(code) ?? v.t('pws.unknownName')} (${code})`;
}

function link(d: { period: string; indicator: string }, area: string): string {
  return `/console/pws${query({ area, period: d.period, indicator: d.indicator })}`;
}

function filters(v: ConsoleView, q: { area: string; period: string; indicator: string }): Html {
  const options = INDICATOR_RULES.map((r) => html`<option value="${r.code}"${r.code === q.indicator ? html` selected` : ''}>${r.code} · ${v.lang === 'id' ? r.name.id : r.name.en}</option>`);
  return html`<form method="get" action="/console/pws" class="filters">
<label>${v.t('pws.area')}<input name="area" value="${q.area}" inputmode="numeric" pattern="\\d{2}|\\d{4}|\\d{6}|\\d{10}" maxlength="10" size="12"></label>
<label>${v.t('pws.period')}<input name="period" value="${q.period}" pattern="\\d{4}(-\\d{2})?" maxlength="7" size="8" aria-describedby="period-hint"><span id="period-hint" class="code">${v.t('pws.periodHint')}</span></label>
<label>${v.t('pws.chartFor')}<select name="indicator" data-autosubmit>${options}</select></label>
<button type="submit">${v.t('pws.show')}</button></form>`;
}

export function breadcrumbs(v: ConsoleView, areas: AreaTable, area: string, q: { period: string; indicator: string }): Html {
  const chain = ['', ...ancestry(area)];
  const items = chain.map((code, i) => (i === chain.length - 1
    ? html`<li><span aria-current="page">${areaLabel(areas, v, code)}</span></li>`
    : html`<li><a href="${link(q, code)}">${areaLabel(areas, v, code)}</a></li>`));
  return html`<nav class="crumbs" aria-label="${v.t('pws.breadcrumb')}"><ol>${items}</ol></nav>`;
}

function card(v: ConsoleView, d: Dashboard, r: IndicatorResult): Html {
  const rule = INDICATOR_RULES.find((x) => x.code === r.code);
  const trend = d.trends.get(r.code);
  const ytd = r.yearToDate && d.period.month !== undefined ? html`<dt>${v.t('pws.ytd', { month: d.period.month })}</dt><dd class="ytd">${pct(v, r.yearToDate.value)} (<span class="ytd-numerator">${num(r.yearToDate.numerator)}</span>/<span class="ytd-denominator">${num(r.yearToDate.denominator)}</span>)</dd>` : '';
  const target = r.targetLine !== undefined ? html`<dt>${v.t('pws.target')}</dt><dd>${pct(v, r.targetLine)}</dd>` : '';
  const notes = [
    r.targetMissing ? html`<p class="note">${v.t('pws.targetMissing', { group: r.targetMissing })}</p>` : '',
    r.notCaptured ? html`<p class="note">${v.t('pws.notCaptured', { what: (v.lang === 'id' ? r.notCaptured : r.notCapturedEn) ?? r.notCaptured })}</p>` : '',
  ];
  const chart = trend && trend.length > 0 ? trendFigure(v, d.period.year, r.code, trend, rule?.programTarget) : html`<div class="trend" data-trend="${r.code}"></div>`;
  return html`<li class="card" id="card-${r.code}" data-code="${r.code}"><h3>${v.lang === 'id' ? r.name : r.nameEn} <span class="code">${r.code}</span></h3>
<p class="value">${pct(v, r.value)}</p>
<dl><dt>${v.t('pws.numerator')}</dt><dd class="numerator">${num(r.numerator)}</dd><dt>${v.t('pws.denominator')}</dt><dd class="denominator">${r.denominator === null ? v.t('pws.noDenominator') : num(r.denominator)}</dd>${ytd}${target}</dl>
${notes}${chart}</li>`;
}

function trendFigure(v: ConsoleView, year: number, code: string, points: Parameters<typeof trendLine>[0], programTarget: number | undefined): Html {
  return html`<div class="trend" data-trend="${code}">${trendLine(points, programTarget, `trend-${code}`, `${v.t('pws.trend', { year })}: ${code}`)}</div>`;
}

/** The trend lines alone (GET /console/pws/trends): the page puts each into its card after the first chart is shown. */
export function trendsFragment(v: ConsoleView, year: number, trends: ReadonlyMap<string, Parameters<typeof trendLine>[0]>): string {
  return html`${[...trends].map(([code, points]) => trendFigure(v, year, code, points, INDICATOR_RULES.find((r) => r.code === code)?.programTarget))}`.value;
}

const STATUS: Record<TargetStatus, MessageKey> = { above: 'pws.aboveTarget', below: 'pws.belowTarget', none: 'pws.noTarget' };
const DIRECTION: Record<Direction, MessageKey | undefined> = { rising: 'pws.rising', falling: 'pws.falling', steady: 'pws.steady', none: undefined };
const ARROW: Record<Direction, string> = { rising: '▲', falling: '▼', steady: '▶', none: '' };

function rankingRow(v: ConsoleView, q: { period: string; indicator: string }, row: ChildRow, i: number): Html {
  const name = row.name ?? v.t('pws.unknownName');
  const dir = DIRECTION[row.direction];
  return html`<tr data-code="${row.code}"><td class="num">${i + 1}</td><td class="code">${row.code}</td>
<td><a href="${link(q, row.code)}">${name}</a></td>
<td class="num numerator">${num(row.result?.numerator)}</td><td class="num denominator">${num(row.result?.denominator)}</td>
<td class="num value">${pct(v, row.result?.value)}</td><td class="num coverage">${pct(v, row.coverage)}</td><td class="num">${pct(v, row.target)}</td>
<td class="status-${row.status}">${v.t(STATUS[row.status])}${dir ? html` · <span aria-hidden="true">${ARROW[row.direction]}</span> ${v.t(dir)}` : ''}</td></tr>`;
}

function ranking(v: ConsoleView, d: Dashboard, q: { period: string; indicator: string }, level: string): Html {
  const rows = d.children.map((row, i) => rankingRow(v, q, row, i));
  const cumulative = d.period.month !== undefined ? v.t('pws.ytd', { month: d.period.month }) : v.t('pws.value');
  return html`<h2 id="ranking">${v.t('pws.ranking', { level })} · ${d.rule.code}</h2>
<p><a href="/console/pws.csv${query({ area: d.area, period: d.period.text, indicator: d.rule.code })}" download>${v.t('pws.csv')}</a></p>
<table aria-labelledby="ranking"><thead><tr><th class="num" scope="col">${v.t('pws.rank')}</th><th scope="col">${v.t('pws.code')}</th><th scope="col">${v.t('pws.name')}</th>
<th class="num" scope="col">${v.t('pws.numerator')}</th><th class="num" scope="col">${v.t('pws.denominator')}</th><th class="num" scope="col">${v.t('pws.value')}</th>
<th class="num" scope="col">${cumulative}</th><th class="num" scope="col">${v.t('pws.target')}</th><th scope="col">${v.t('pws.status')}</th></tr></thead>
<tbody>${rows}</tbody></table>`;
}

export function pwsPage(v: ConsoleView, areas: AreaTable, d: Dashboard): string {
  const q = { period: d.period.text, indicator: d.rule.code };
  const childLevel = v.t(LEVEL[d.area.length === 6 ? 10 : d.area.length + 2] ?? 'pws.level.village');
  const target = d.children.find((c) => c.target !== undefined)?.target ?? (d.period.month === undefined ? d.rule.programTarget : undefined);
  const bars = d.children.filter((c) => c.result).map((c) => ({ label: `${c.name ?? c.code} ${c.code}`, value: c.coverage, above: c.status === 'none' ? undefined : c.status === 'above' }));
  const chartTitle = `${v.t('pws.chart', { level: childLevel })} · ${d.rule.code}`;
  const chart = d.area.length === 10 ? '' : html`<section class="chart" aria-labelledby="chart-title"><h2 id="chart-title">${chartTitle}</h2>
${bars.length > 0 ? pwsChart(bars, target, v.lang, chartTitle, v.t('pws.targetLine', { value: target === undefined ? '–' : formatNumber(v.lang, target) })) : html`<p>${v.t('pws.chartEmpty')}</p>`}</section>`;
  const table = d.area.length === 10 ? '' : ranking(v, d, q, childLevel);
  return layout(v, `${v.t('pws.title')}: ${areaLabel(areas, v, d.area)}`, html`${filters(v, { area: d.area, period: d.period.text, indicator: d.rule.code })}
${breadcrumbs(v, areas, d.area, q)}
${chart}
${table}
<h2>${v.t('pws.indicators')} · ${d.period.text}</h2>
${d.period.month !== undefined && d.trends.size === 0 ? html`<p class="trends-src" data-src="/console/pws/trends${query({ area: d.area, period: d.period.text })}"><a href="/console/pws${query({ area: d.area, period: d.period.text, indicator: d.rule.code, trends: '1' })}">${v.t('pws.showTrends')}</a></p>` : ''}
<ul class="cards">${d.cards.map((r) => card(v, d, r))}</ul>`);
}

/** No area chosen: the provinces (or the district's own regions) to start from. */
export function pwsStartPage(v: ConsoleView, areas: AreaTable, codes: readonly string[], q: { period: string; indicator: string }): string {
  const items = codes.map((c) => html`<li><a href="${link(q, c)}">${areaLabel(areas, v, c)}</a></li>`);
  return layout(v, v.t('pws.title'), html`${filters(v, { area: '', ...q })}
<h2>${v.t('pws.area')}</h2><ul class="pages">${items}</ul>`);
}
