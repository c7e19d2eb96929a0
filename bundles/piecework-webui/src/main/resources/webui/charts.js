'use strict';
// Bar charts of the strategy comparison: one small SVG per figure, the strategies side by side.
// Labels are set with textContent; numbers are parsed, never inserted as markup.

const SVG = 'http://www.w3.org/2000/svg';

function svgEl(tag, attrs, text) {
  const e = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, String(v));
  if (text !== undefined) e.textContent = text;
  return e;
}

/** {columns: ['strategy', 'cpu_per_update_us', ...], rows: [['naive', '1.2', ...], ...]} → figures. */
function drawCharts(container, table) {
  const columns = table.columns || [];
  const rows = table.rows || [];
  const figures = [];
  for (let c = 1; c < columns.length; c++) {
    const values = rows.map(r => parseFloat(r[c]));
    if (values.every(v => !Number.isFinite(v))) continue;
    figures.push(chart(columns[c], rows.map(r => Format.name(r[0])), values));
  }
  container.replaceChildren(...figures);
}

function chart(title, names, values) {
  const fig = document.createElement('figure');
  fig.className = 'chart';
  const caption = document.createElement('figcaption');
  caption.textContent = title.replace(/_/g, ' ');
  const width = 260, bar = 22, gap = 8, labelW = 70, height = names.length * (bar + gap) + gap;
  const max = Math.max(...values.filter(Number.isFinite), 0) || 1;
  const svg = svgEl('svg', { viewBox: `0 0 ${width} ${height}`, width, height, role: 'img',
    'aria-label': title + ': ' + names.map((n, i) => n + ' ' + (Number.isFinite(values[i]) ? values[i] : 'n/a')).join(', ') });
  names.forEach((name, i) => {
    const y = gap + i * (bar + gap);
    const v = values[i];
    const w = Number.isFinite(v) ? Math.max(1, (width - labelW - 60) * v / max) : 0;
    svg.append(svgEl('text', { x: 0, y: y + bar * 0.7, class: 'label' }, name));
    svg.append(svgEl('rect', { x: labelW, y, width: w, height: bar, class: 'bar s' + (i % 3) }));
    svg.append(svgEl('text', { x: labelW + w + 4, y: y + bar * 0.7, class: 'value' }, Number.isFinite(v) ? String(v) : 'n/a'));
  });
  fig.append(caption, svg);
  return fig;
}

/**
 * A small line chart over time: one polyline per series, y from 0 to the largest value,
 * the latest values in the caption and the aria-label (the chart itself is a picture).
 */
function lineChart(title, samples, series, format) {
  const fig = document.createElement('figure');
  fig.className = 'chart line';
  const width = 260, height = 90, pad = 4;
  const max = Math.max(1, ...samples.flatMap(s => series.map(([, key]) => s[key])).filter(Number.isFinite));
  const latest = samples.length ? series.map(([label, key]) => label + ' ' + format(samples[samples.length - 1][key])).join(', ')
    : 'no samples yet';
  const caption = document.createElement('figcaption');
  caption.textContent = title + ': ' + latest;
  const svg = svgEl('svg', { viewBox: `0 0 ${width} ${height}`, width, height, role: 'img',
    'aria-label': title + ', latest: ' + latest + '; highest ' + format(max) });
  svg.append(svgEl('rect', { x: 0, y: 0, width, height, class: 'frame' }));
  series.forEach(([, key], i) => {
    const n = samples.length;
    const points = samples.map((s, j) => {
      const x = n < 2 ? width - pad : pad + (width - 2 * pad) * j / (n - 1);
      const y = height - pad - (height - 2 * pad) * (Number.isFinite(s[key]) ? s[key] : 0) / max;
      return x.toFixed(1) + ',' + y.toFixed(1);
    });
    svg.append(svgEl('polyline', { points: points.join(' '), class: 'line s' + (i % 3) }));
  });
  svg.append(svgEl('text', { x: pad, y: 12, class: 'value' }, format(max)));
  fig.append(caption, svg);
  return fig;
}
