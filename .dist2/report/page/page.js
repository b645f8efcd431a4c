// The HTML report's own script, run in the page after Vega is loaded: it reads the data (see
// html-data.ts), draws the front with Vega, and shows the selected point. html.ts embeds it with the
// modules it imports as one script, so the page prints numbers as the CLI does.

import { bytesText, compact, grouped } from './format.js';
import { loopNest } from './loopnest.js';

const data = JSON.parse(document.getElementById('memsched-data').textContent);
const plotSpec = JSON.parse(document.getElementById('memsched-plot').textContent);
const palette = data.palette;
const loopNames = ['x', 'y', 'zo', 'zi'];
const roleNames = { i: 'input', w: 'weights', m: 'intermediate', o: 'output' };
const $ = (id) => document.getElementById(id);
const esc = (s) =>
  String(s).replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c],
  );
const ratio = (a, b) => (b > 0 ? `${(a / b).toFixed(2)}x` : '');
const bar = (parts, max) => {
  const width = (v) => (max > 0 ? (100 * v) / max : 0).toFixed(2);
  return `<div class="bar">${parts.map(([v, cls]) => `<span class="${cls}" style="width:${width(v)}%"></span>`).join('')}</div>`;
};

// Every point's segments as [struct, body] pairs, decoded once from the changes between points.
const pointParts = [];
let previous = [];
for (const p of data.points) {
  const code = p[4];
  const parts = p[3] === 0 ? [] : previous.slice();
  if (p[3] === 0) for (let k = 0; k < code.length; k += 2) parts.push([code[k], code[k + 1]]);
  else for (let k = 0; k < code.length; k += 3) parts[code[k]] = [code[k + 1], code[k + 2]];
  pointParts.push(parts);
  previous = parts;
}

// a point's fused depth: the layers of its deepest segment
const maxFused = (i) => Math.max(...pointParts[i].map(([s]) => data.structs[s].layers.length));
const recompute = (macs) => ratio(macs, data.leastMacs);

function segmentOf(structIndex, bodyIndex) {
  const st = data.structs[structIndex];
  const b = data.bodies[bodyIndex];
  const [digits, warm] = String(b[4]).split(':');
  const order = digits.split('').map((d) => loopNames[Number(d)]);
  const warmup = {};
  if (warm) for (const w of warm.split(',')) warmup[w[0]] = Number(w.slice(1));
  const levels = String(b[5]);
  const level = (d) => (d === 0 ? 'root' : order[d - 1]);
  const buffers = [];
  let k = 10;
  st.buffers.forEach(([id, role, layer, tensor, readers], j) => {
    const n = b[k];
    const extents = b.slice(k + 1, k + 1 + n);
    k += 1 + n;
    buffers.push({
      id,
      role: roleNames[role],
      layer,
      tensor,
      readers: readers.map((r) => data.layers[r]),
      store: level(Number(levels[2 * j])),
      fill: level(Number(levels[2 * j + 1])),
      extents,
      bytes: b[k],
      slots: b[k] / data.elementBytes,
      filled: b[k + 1],
      dramReads: b[k + 2],
      dramWrites: b[k + 3],
    });
    k += 4;
  });
  return {
    view: st.view === 1,
    layerIndex: st.layers,
    layers: st.layers.map((i) => data.layers[i]),
    dims: { x: st.dims[0], y: st.dims[1], zo: st.dims[2], zi: st.dims[3] },
    tile: { x: b[0], y: b[1], zo: b[2], zi: b[3] },
    order,
    warmup,
    buffers,
    onChipBytes: b[6],
    dramReads: b[7],
    dramWrites: b[8],
    macs: b[9],
  };
}

const pointSegments = (i) => pointParts[i].map(([s, b]) => segmentOf(s, b));
const tensorName = (b) => (b.role === 'weights' ? `${b.tensor} (weights)` : b.tensor);

// The graph: each layer's box takes its segment's colour and its predicted DRAM accesses.
function paintGraph(segments) {
  const traffic = new Map();
  segments.forEach((seg, k) => {
    for (const i of seg.layerIndex) traffic.set(i, { colour: palette[k % palette.length], segment: k, n: 0 });
    for (const b of seg.buffers) traffic.get(b.layer).n += b.dramReads + b.dramWrites;
  });
  for (const [i, t] of traffic) {
    const node = document.getElementById(`layer-${i}`);
    if (!node) continue;
    node.dataset.segment = String(t.segment);
    const shape = node.querySelector('polygon, path, ellipse');
    if (shape) shape.setAttribute('fill', t.colour);
    const texts = node.querySelectorAll('text');
    if (texts.length > 0) texts[texts.length - 1].textContent = `predicted DRAM: ${compact(t.n)}`;
  }
}

function summaryHtml(i, segments) {
  const p = data.points[i];
  const reads = segments.reduce((n, s) => n + s.dramReads, 0);
  const writes = segments.reduce((n, s) => n + s.dramWrites, 0);
  const w = data.elementBytes;
  const field = (name, text) => `<b data-field="${name}">${text}</b>`;
  const row = (key, value) => `<tr><td>${key}</td><td>${value}</td></tr>`;
  const measured = data.verify.filter((v) => v.point === i);
  const chosen = i === data.chosen ? `, chosen for the budget ${bytesText(data.budgetBytes)}` : '';
  const fused = maxFused(i);
  const verified = measured
    .map((v) => (v.ok ? '<span class="ok">verified</span>' : '<span class="bad">verification failed</span>'))
    .join(', ');
  return [
    '<table class="kv">',
    row('point', `${field('point', String(i))} of ${data.points.length}${chosen}`),
    row(
      'segments',
      `${field('segments', String(segments.length))}, the deepest fusing ${field('maxFused', String(fused))} layer${fused === 1 ? '' : 's'}`,
    ),
    row(
      'on-chip memory',
      `${field('onChipBytes', grouped(p[0]))} B = ${bytesText(p[0])} (the largest segment), ${ratio(data.baseline.bytes, p[0])} less than the baseline`,
    ),
    row(
      'DRAM accesses',
      `${field('dramAccesses', grouped(p[1]))} elements = ${bytesText(p[1] * w)} at ${w} byte${w === 1 ? '' : 's'} each`,
    ),
    row('', `${field('dramReads', grouped(reads))} reads + ${field('dramWrites', grouped(writes))} writes`),
    row(
      '',
      `${ratio(p[1], data.baseline.accesses)} the baseline, ${ratio(p[1], data.lowerBound.accesses)} the lower bound`,
    ),
    row(
      'MACs',
      `${field('macs', grouped(p[2]))} = ${field('recompute', recompute(p[2]))} the ${grouped(data.leastMacs)} of computing every element once`,
    ),
    row(
      'measured',
      measured.length === 0 ? 'not verified' : `${verified} (<a href="#verify-title">below</a>)`,
    ),
    '</table><p class="note">All but the measured row: predicted by the model.</p>',
  ].join('');
}

function segmentsHtml(segments) {
  const rows = segments.map((s, k) => {
    const t = s.tile;
    const warmup = Object.entries(s.warmup)
      .map(([l, w]) => ` (${l} warm-up ${w})`)
      .join('');
    return [
      `<tr data-segment="${k}"><td><span class="swatch" style="background:${palette[k % palette.length]}"></span>${k + 1}</td>`,
      `<td class="num">${s.layers.length}</td><td>${esc(s.layers.join(' + '))}</td>`,
      `<td>x${t.x} y${t.y} zo${t.zo} zi${t.zi}</td><td>${s.order.join(' > ')}${warmup}</td>`,
      `<td class="num">${grouped(s.onChipBytes)}</td><td class="num">${grouped(s.dramReads)}</td>`,
      `<td class="num">${grouped(s.dramWrites)}</td><td class="num">${grouped(s.macs)}</td></tr>`,
    ].join('');
  });
  return (
    '<table class="data" id="segment-table"><thead><tr><th>#</th><th title="layers fused in the segment">depth</th>' +
    '<th>layers</th><th>tile</th><th title="the tile loops, outermost first">loops</th>' +
    '<th>on-chip bytes</th><th>DRAM reads</th><th>DRAM writes</th><th>MACs</th></tr></thead>' +
    `<tbody>${rows.join('')}</tbody></table>`
  );
}

function nestsHtml(segments) {
  const largest = segments.reduce((m, s, k) => (s.onChipBytes > segments[m].onChipBytes ? k : m), 0);
  return segments
    .map((s, k) => {
      const open = k === largest || segments.length <= 3 ? ' open' : '';
      const swatch = `<span class="swatch" style="background:${palette[k % palette.length]}"></span>`;
      return `<details id="nest-${k}"${open}><summary>${swatch}segment ${k + 1}: ${esc(s.layers.join(' + '))}</summary><pre></pre></details>`;
    })
    .join('');
}

function buffersHtml(segments) {
  const maxBytes = Math.max(...segments.flatMap((s) => s.buffers.map((b) => b.bytes)));
  const rows = segments.flatMap((s, k) =>
    s.buffers.map((b) =>
      [
        `<tr><td>${k + 1}</td><td>${esc(b.id)}</td><td>${b.role}</td><td>${b.store}/${b.fill}</td>`,
        `<td>${b.extents.join('x')}</td><td class="num">${grouped(b.bytes)}</td>`,
        `<td>${bar([[b.bytes, 'on-chip']], maxBytes)}</td></tr>`,
      ].join(''),
    ),
  );
  return (
    '<table class="data"><thead><tr><th>segment</th><th>buffer</th><th>role</th><th>store/fill</th><th>extents</th>' +
    `<th>bytes (predicted)</th><th></th></tr></thead><tbody>${rows.join('')}</tbody></table>`
  );
}

function tensorsHtml(segments) {
  const tensors = new Map();
  for (const s of segments)
    for (const b of s.buffers) {
      const name = tensorName(b);
      if (!tensors.has(name)) tensors.set(name, { reads: 0, writes: 0 });
      const t = tensors.get(name);
      t.reads += b.dramReads;
      t.writes += b.dramWrites;
    }
  const rows = [...tensors].filter(([, t]) => t.reads + t.writes > 0);
  const max = Math.max(...rows.map(([, t]) => t.reads + t.writes));
  const row = ([name, t]) =>
    [
      `<tr data-tensor="${esc(name)}"><td>${esc(name)}</td><td class="num">${grouped(t.reads)}</td>`,
      `<td class="num">${grouped(t.writes)}</td><td class="num">${grouped(t.reads + t.writes)}</td>`,
      `<td>${bar(
        [
          [t.reads, 'reads'],
          [t.writes, 'writes'],
        ],
        max,
      )}</td></tr>`,
    ].join('');
  return (
    '<table class="data" id="tensor-table"><thead><tr><th>tensor</th><th>DRAM reads</th><th>DRAM writes</th><th>total</th>' +
    '<th><span class="key reads"></span>reads <span class="key writes"></span>writes</th></tr></thead>' +
    `<tbody>${rows.map(row).join('')}</tbody></table>`
  );
}

// Measured (null: not measured, the program failed; an output error: not a number) against predicted.
function verifyHtml(v, segments) {
  const predicted = new Map();
  if (segments) for (const s of segments) for (const b of s.buffers) predicted.set(b.id, b);
  const num = (x) => (x === null ? 'not measured' : grouped(x));
  const diff = (m, p) =>
    m === null
      ? '<td class="bad">-</td>'
      : m === p
        ? '<td class="ok">equal</td>'
        : `<td class="bad">${m > p ? '+' : ''}${grouped(m - p)}</td>`;
  const error = (x) => (x !== null ? x.toPrecision(3) : v.error ? 'not measured' : 'not a number');
  let stale = 0;
  const rows = v.tensors.map((t) => {
    const b = predicted.get(t.buffer);
    if (segments && (!b || b.dramReads !== t.predictedReads || b.dramWrites !== t.predictedWrites)) stale++;
    return [
      `<tr><td>${esc(t.buffer)}</td><td>${esc(t.tensor)}</td>`,
      `<td class="num">${grouped(t.predictedReads)}</td><td class="num">${num(t.measuredReads)}</td>`,
      diff(t.measuredReads, t.predictedReads),
      `<td class="num">${grouped(t.predictedWrites)}</td><td class="num">${num(t.measuredWrites)}</td>`,
      diff(t.measuredWrites, t.predictedWrites),
      '</tr>',
    ].join('');
  });
  const pair = (name, x) =>
    `<tr><td colspan="2">${name}</td><td class="num">${grouped(x.predicted)}</td><td class="num">${num(x.measured)}</td>${diff(x.measured, x.predicted)}<td colspan="3"></td></tr>`;
  const outcome = v.ok
    ? 'verified: the generated code ran and measured what was predicted'
    : 'verification FAILED';
  return [
    `<p class="${v.ok ? 'ok' : 'bad'}">${outcome}; output max abs error ${error(v.output.maxAbsError)}, max rel error ${error(v.output.maxRelError)}`,
    `; build ${v.buildSeconds.toFixed(1)} s, run ${v.runSeconds.toFixed(2)} s (measured)</p>`,
    v.error ? `<p class="bad">error: ${esc(v.error)}</p>` : '',
    v.mismatches.length > 0
      ? `<ul class="bad">${v.mismatches.map((m) => `<li>${esc(m)}</li>`).join('')}</ul>`
      : '',
    stale > 0
      ? `<p class="bad">${stale} of the verify file's predictions differ from this report's model for this point (another schedule or model version?)</p>`
      : '',
    '<table class="data verify"><thead><tr><th>buffer</th><th>tensor</th><th>predicted reads</th><th>measured reads</th><th></th>',
    '<th>predicted writes</th><th>measured writes</th><th></th></tr></thead><tbody>',
    rows.join(''),
    pair('MACs', v.macs),
    pair('scratchpad bytes', v.scratchpadBytes),
    '</tbody></table>',
  ].join('');
}

// Every point in a table (written once; the selected row is marked).
function pointsHtml() {
  const rows = data.points.map((p, i) =>
    [
      `<tr data-point="${i}"><td class="num">${i}${i === data.chosen ? ' *' : ''}</td>`,
      `<td class="num">${grouped(p[0])}</td><td class="num">${grouped(p[1])}</td><td class="num">${grouped(p[2])}</td>`,
      `<td class="num">${recompute(p[2])}</td><td class="num">${pointParts[i].length}</td><td class="num">${maxFused(i)}</td></tr>`,
    ].join(''),
  );
  return (
    '<table class="data" id="point-table"><thead><tr><th>point</th><th>on-chip bytes</th><th>DRAM accesses</th><th>MACs</th>' +
    '<th title="MACs over those of computing every element once">recompute</th><th>segments</th>' +
    '<th title="layers of the deepest segment">max fused</th></tr></thead>' +
    `<tbody>${rows.join('')}</tbody></table>`
  );
}
$('points').innerHTML = pointsHtml();
$('points').addEventListener('click', (event) => {
  const row = event.target.closest('tr[data-point]');
  if (row) select(Number(row.dataset.point));
});

// The front: Vega draws it; hovering shows a point's numbers, clicking selects it.
const tip = $('tip');
function tipHtml(i) {
  const p = data.points[i];
  return [
    `<b>point ${i}</b> (predicted)`,
    `on chip ${bytesText(p[0])} (${grouped(p[0])} B)`,
    `DRAM ${grouped(p[1])} accesses = ${bytesText(p[1] * data.elementBytes)}`,
    `${ratio(p[1], data.baseline.accesses)} the baseline`,
    `${pointParts[i].length} segments, the deepest fusing ${maxFused(i)}`,
    `${grouped(p[2])} MACs = ${recompute(p[2])} the least`,
    '<i>click to select</i>',
  ].join('<br>');
}
const view = new vega.View(vega.parse(plotSpec), { renderer: 'svg', container: '#front', hover: true });
view.tooltip((_handler, event, item, value) => {
  const i = item?.datum?.point;
  if (value == null || typeof i !== 'number') {
    tip.hidden = true;
    return;
  }
  tip.innerHTML = tipHtml(i);
  tip.hidden = false;
  tip.style.left = `${event.pageX + 14}px`;
  tip.style.top = `${event.pageY + 14}px`;
});
view.addEventListener('click', (_event, item) => {
  const i = item?.datum?.point;
  if (typeof i === 'number') select(i);
});

let current = -1;
let shown = [];
// a nest is written when it is opened: a point may have hundreds of segments
function writeNest(details) {
  const pre = details.querySelector('pre');
  if (pre.textContent === '') pre.textContent = loopNest(shown[Number(details.id.slice(5))]);
}
$('nests').addEventListener(
  'toggle',
  (event) => {
    if (event.target.open) writeNest(event.target);
  },
  true,
);
function select(i) {
  if (!(i >= 0 && i < data.points.length)) return;
  current = i;
  const segments = pointSegments(i);
  $('point-input').value = String(i);
  $('point-summary').innerHTML = summaryHtml(i, segments);
  paintGraph(segments);
  $('segments').innerHTML = segmentsHtml(segments);
  shown = segments;
  $('nests').innerHTML = nestsHtml(segments);
  for (const d of $('nests').querySelectorAll('details[open]')) writeNest(d);
  $('buffers').innerHTML = buffersHtml(segments);
  $('tensors').innerHTML = tensorsHtml(segments);
  const measured = data.verify.filter((v) => v.point === i);
  const verified = data.verify
    .filter((v) => v.point !== null)
    .map((v) => `<a href="#point=${v.point}">${v.point}</a>`);
  $('verify').innerHTML =
    measured.length > 0
      ? measured.map((v) => verifyHtml(v, segments)).join('')
      : data.verify.length > 0
        ? `<p>This point was not verified; verified points: ${verified.join(', ')}.</p>`
        : '<p>No verify file was given (memsched verify measures the generated code of a point).</p>';
  for (const row of $('points').querySelectorAll('tr.selected')) row.classList.remove('selected');
  const pointRow = $('points').querySelector(`tr[data-point="${i}"]`);
  pointRow.classList.add('selected');
  // keep the selected row in view inside the table, without scrolling the page
  const box = $('points');
  if (
    pointRow.offsetTop < box.scrollTop ||
    pointRow.offsetTop + pointRow.offsetHeight > box.scrollTop + box.clientHeight
  )
    box.scrollTop = pointRow.offsetTop - box.clientHeight / 2;
  const p = data.points[i];
  view.data('selection', [{ bytes: p[0], y: p[1], point: i }]).runAsync();
  if (location.hash !== `#point=${i}`) history.replaceState(null, '', `#point=${i}`);
  document.body.dataset.selected = String(i);
}

$('graph').addEventListener('click', (event) => {
  const node = event.target.closest('[data-segment]');
  if (!node) return;
  const nest = $(`nest-${node.dataset.segment}`);
  nest.open = true;
  nest.scrollIntoView({ behavior: 'smooth', block: 'center' });
});
$('segments').addEventListener('click', (event) => {
  const row = event.target.closest('tr[data-segment]');
  if (!row) return;
  const nest = $(`nest-${row.dataset.segment}`);
  nest.open = true;
  nest.scrollIntoView({ behavior: 'smooth', block: 'center' });
});
$('point-input').max = String(data.points.length - 1);
$('point-input').addEventListener('change', (e) => select(Number(e.target.value)));
$('prev').addEventListener('click', () => select(current - 1));
$('next').addEventListener('click', () => select(current + 1));
window.addEventListener('hashchange', () => {
  const m = /^#point=(\d+)$/.exec(location.hash);
  if (m && Number(m[1]) !== current) select(Number(m[1]));
});
const unverified = data.verify.filter((v) => v.point === null);
if (unverified.length > 0) {
  const measured = unverified.map((v) => verifyHtml(v, null)).join('');
  $('verify-other').innerHTML = `<h3>Measured schedules that are not points of this front</h3>${measured}`;
}

view.runAsync().then(() => {
  const m = /^#point=(\d+)$/.exec(location.hash);
  select(m && Number(m[1]) < data.points.length ? Number(m[1]) : data.selected);
});
