import type * as Vega from 'vega';

/*
 * Server-rendered SVG charts for the support dashboard (issue 12), drawn by Vega (vega.View
 * with the 'none' renderer and toSVG(), which needs no DOM or canvas). Vega-Lite would be
 * shorter to write but its current release requires Node 22. The same data gives the same
 * SVG, so recent charts are kept in a small cache: a dashboard reload costs no rendering.
 */

export interface ChartPoint {
  label: string;
  value: number;
  /** Second series (line/bars side by side), optional. */
  series?: string;
}

const CACHE_SIZE = 200;
const cache = new Map<string, string>();

const FONT = 'system-ui, -apple-system, "Segoe UI", "PingFang SC", "Microsoft YaHei", sans-serif';

function baseSpec(width: number, height: number, yTitle: string): Record<string, unknown> {
  return {
    $schema: 'https://vega.github.io/schema/vega/v6.json',
    width,
    height,
    padding: 4,
    autosize: { type: 'fit', contains: 'padding' },
    config: { axis: { labelFont: FONT, titleFont: FONT, labelFontSize: 11, titleFontSize: 11, labelColor: '#444', titleColor: '#444' }, legend: { labelFont: FONT, labelFontSize: 11 } },
    axes: [
      { orient: 'bottom', scale: 'x', labelAngle: -45, labelAlign: 'right', labelOverlap: 'greedy' },
      { orient: 'left', scale: 'y', title: yTitle, grid: true, tickMinStep: 1 },
    ],
  };
}

function barSpec(points: ChartPoint[], yTitle: string, width: number, height: number): Record<string, unknown> {
  const series = [...new Set(points.map((p) => p.series ?? ''))];
  const grouped = series.length > 1;
  return {
    ...baseSpec(width, height, yTitle),
    data: [{ name: 't', values: points.map((p) => ({ label: p.label, value: p.value, series: p.series ?? '' })) }],
    scales: [
      { name: 'x', type: 'band', domain: { data: 't', field: 'label' }, range: 'width', padding: 0.15 },
      { name: 'y', type: 'linear', domain: { data: 't', field: 'value' }, nice: true, zero: true, range: 'height' },
      { name: 'color', type: 'ordinal', domain: series, range: ['#2f6fb3', '#e0892b', '#3b9c5a'] },
      { name: 'inner', type: 'band', domain: series, range: [0, { signal: "bandwidth('x')" }], padding: 0.05 },
    ],
    ...(grouped ? { legends: [{ fill: 'color', orient: 'top', direction: 'horizontal' }] } : {}),
    marks: [
      {
        type: 'rect',
        from: { data: 't' },
        encode: {
          enter: {
            x: grouped ? { signal: "scale('x', datum.label) + scale('inner', datum.series)" } : { scale: 'x', field: 'label' },
            width: grouped ? { scale: 'inner', band: 1 } : { scale: 'x', band: 1 },
            y: { scale: 'y', field: 'value' },
            y2: { scale: 'y', value: 0 },
            fill: { scale: 'color', field: 'series' },
          },
        },
      },
    ],
  };
}

function lineSpec(points: ChartPoint[], yTitle: string, width: number, height: number): Record<string, unknown> {
  return {
    ...baseSpec(width, height, yTitle),
    data: [{ name: 't', values: points.map((p) => ({ label: p.label, value: p.value })) }],
    scales: [
      { name: 'x', type: 'point', domain: { data: 't', field: 'label' }, range: 'width', padding: 0.5 },
      { name: 'y', type: 'linear', domain: { data: 't', field: 'value' }, nice: true, zero: true, range: 'height' },
    ],
    marks: [
      { type: 'line', from: { data: 't' }, encode: { enter: { x: { scale: 'x', field: 'label' }, y: { scale: 'y', field: 'value' }, stroke: { value: '#2f6fb3' }, strokeWidth: { value: 2 } } } },
      { type: 'symbol', from: { data: 't' }, encode: { enter: { x: { scale: 'x', field: 'label' }, y: { scale: 'y', field: 'value' }, fill: { value: '#2f6fb3' }, size: { value: 20 } } } },
    ],
  };
}

async function render(spec: Record<string, unknown>): Promise<string> {
  const key = JSON.stringify(spec);
  const hit = cache.get(key);
  if (hit !== undefined) {
    cache.delete(key);
    cache.set(key, hit);
    return hit;
  }
  // Vega is loaded with the first chart drawn, not at startup (0.3 s of CPU to load it, for a
  // page only support staff open).
  const vega = await import('vega');
  const view = new vega.View(vega.parse(spec as Vega.Spec), { renderer: 'none' });
  try {
    // The figure's caption and the table carry the meaning; the picture itself is decorative to a screen reader.
    const svg = (await view.toSVG()).replace('<svg ', '<svg aria-hidden="true" focusable="false" ');
    cache.set(key, svg);
    if (cache.size > CACHE_SIZE) cache.delete(cache.keys().next().value!);
    return svg;
  } finally {
    view.finalize();
  }
}

export function barChart(points: ChartPoint[], yTitle: string, width = 560, height = 180): Promise<string> {
  return render(barSpec(points, yTitle, width, height));
}

export function lineChart(points: ChartPoint[], yTitle: string, width = 560, height = 180): Promise<string> {
  return render(lineSpec(points, yTitle, width, height));
}
