import { html, type Html } from './html';
import { formatNumber, type Lang } from './i18n';

/**
 * Server-rendered SVG (no chart library, no script): the classic PWS chart, one bar per area of
 * cumulative coverage against the linear monthly target (a vertical line), and a small trend line
 * per indicator. Colours use SVG presentation attributes, which the console's CSP allows.
 */
export interface Bar {
  label: string;
  value: number | null;
  above: boolean | undefined;
}

const W = 760;
const LABEL = 230;
const ROW = 22;

export function pwsChart(bars: readonly Bar[], target: number | undefined, lang: Lang, title: string, targetLabel: string): Html {
  const max = Math.max(100, target ?? 0, ...bars.map((b) => b.value ?? 0));
  const x = (v: number): number => LABEL + ((W - LABEL - 50) * v) / max;
  const height = bars.length * ROW + 40;
  const rows = bars.map((b, i) => {
    const y = 20 + i * ROW;
    const v = b.value ?? 0;
    const fill = b.above === undefined ? '#6b7680' : b.above ? '#1e6b2e' : '#a4161a';
    return html`<g><text x="${LABEL - 6}" y="${y + 15}" text-anchor="end" font-size="12" fill="#1b1f24">${b.label.slice(0, 34)}</text>
<rect x="${LABEL}" y="${y + 3}" width="${Math.max(0, x(v) - LABEL).toFixed(1)}" height="${ROW - 7}" fill="${fill}"></rect>
<text x="${(x(v) + 4).toFixed(1)}" y="${y + 15}" font-size="12" fill="#1b1f24">${b.value === null ? '–' : `${formatNumber(lang, b.value)}%`}</text></g>`;
  });
  const line = target === undefined ? '' : html`<line x1="${x(target).toFixed(1)}" x2="${x(target).toFixed(1)}" y1="12" y2="${height - 18}" stroke="#0b5394" stroke-width="2" stroke-dasharray="6 3"></line>
<text x="${x(target).toFixed(1)}" y="${height - 4}" text-anchor="middle" font-size="12" fill="#0b5394">${targetLabel}</text>`;
  return html`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${height}" width="${W}" height="${height}" role="img" aria-labelledby="pws-chart-title">
<title id="pws-chart-title">${title}</title>
<line x1="${LABEL}" x2="${LABEL}" y1="12" y2="${height - 18}" stroke="#6b7680"></line>
${rows}${line}</svg>`;
}

export interface TrendSeries {
  month: number;
  value: number | null;
  cumulative: number | null;
}

/** Monthly value (solid) and cumulative coverage (dashed) from January, with the linear target when there is one. */
export function trendLine(points: readonly TrendSeries[], programTarget: number | undefined, id: string, title: string): Html {
  const w = 280;
  const h = 110;
  const max = Math.max(10, ...points.flatMap((p) => [p.value ?? 0, p.cumulative ?? 0]), programTarget ?? 0);
  const px = (m: number): number => 24 + ((w - 34) * (m - 1)) / 11;
  const py = (v: number): number => h - 18 - ((h - 30) * v) / max;
  const path = (get: (p: TrendSeries) => number | null): string => points.filter((p) => get(p) !== null).map((p, i) => `${i === 0 ? 'M' : 'L'}${px(p.month).toFixed(1)} ${py(get(p) ?? 0).toFixed(1)}`).join(' ');
  const target = programTarget === undefined ? '' : html`<path d="M${px(1).toFixed(1)} ${py(programTarget / 12).toFixed(1)} L${px(12).toFixed(1)} ${py(programTarget).toFixed(1)}" stroke="#0b5394" stroke-dasharray="4 3" fill="none"></path>`;
  const ticks = [1, 3, 6, 9, 12].map((m) => html`<text x="${px(m).toFixed(1)}" y="${h - 4}" font-size="10" text-anchor="middle" fill="#4a5560">${m}</text>`);
  return html`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${w} ${h}" width="${w}" height="${h}" role="img" aria-labelledby="${id}">
<title id="${id}">${title}</title>
<line x1="24" x2="${w - 10}" y1="${h - 18}" y2="${h - 18}" stroke="#c9d1d9"></line>${ticks}${target}
<path d="${path((p) => p.cumulative)}" stroke="#1e6b2e" stroke-width="2" stroke-dasharray="5 2" fill="none"></path>
<path d="${path((p) => p.value)}" stroke="#1b1f24" stroke-width="2" fill="none"></path></svg>`;
}
