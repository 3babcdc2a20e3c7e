/* The process diagram in the navigated viewer, painted with the case's path: done,
 * in-progress and this task's elements marked, the sequence flows the case took in
 * colour, a badge "×2" on an element done more than once, cancelled elements grey
 * and struck through. It opens zoomed to a readable scale around where the case
 * stands now (全图 fits the whole diagram); an unstarted case has no position, so
 * it opens at the start. The bpmn.io watermark (bottom right) stays visible
 * (licence): the buttons sit top left. Paint goes through the CSSOM (the pages'
 * policy allows no inline style sheet), from the one table below, which the legend
 * swatches use too. */
(function () {
  'use strict';

  const READABLE = 0.9;
  const PAINT = {
    flow: { stroke: '#2e9d57', 'stroke-width': '3px' },
    activeFlow: { stroke: '#e08a00', 'stroke-width': '3px' },  // the renderer's own line style outranks the stylesheet
    cancelled: { stroke: '#9aa4b2', fill: '#f1f2f4', 'stroke-dasharray': '6 4' },
    cancelledText: { fill: '#8a93a0', 'text-decoration': 'line-through' },
    passes: { background: '#2e9d57', color: '#fff', 'border-radius': '9px', padding: '0 6px', 'font-size': '12px',
      'line-height': '18px', 'font-weight': '600', 'white-space': 'nowrap', 'box-shadow': '0 0 0 2px #fff' },
    swatchFlow: { background: 'transparent', border: '0', 'border-top': '3px solid #2e9d57', height: '0',
      'border-radius': '0' },
    swatchCancelled: { background: '#f1f2f4', border: '2px dashed #9aa4b2' },
    swatchPasses: { width: 'auto', height: 'auto', 'font-style': 'normal' },
    heat: { color: '#fff', 'border-radius': '9px', padding: '0 7px', 'font-size': '12px', 'line-height': '20px',
      'font-weight': '700', 'white-space': 'nowrap', 'box-shadow': '0 0 0 2px #fff' },
  };

  // how many cases wait at an element, as a colour from amber (a few) to deep red (the most of the process)
  function heatColour(count, most) {
    const share = most > 0 ? count / most : 0;
    const hue = Math.round(40 - 40 * share);
    const light = Math.round(52 - 14 * share);
    return `hsl(${hue}, 85%, ${light}%)`;
  }

  function parse(value, empty) { return JSON.parse(value || empty); }

  function paint(node, style) {
    for (const [name, value] of Object.entries(style)) node.style.setProperty(name, value, 'important');
  }

  function box(elements) {
    return {
      x0: Math.min(...elements.map((e) => e.x)), y0: Math.min(...elements.map((e) => e.y)),
      x1: Math.max(...elements.map((e) => e.x + (e.width || 0))), y1: Math.max(...elements.map((e) => e.y + (e.height || 0))),
    };
  }

  // centred on the elements that matter, at a readable scale (smaller only if they do not fit)
  function focusOn(canvas, elements) {
    canvas.zoom('fit-viewport', 'auto');
    if (!elements.length || canvas.zoom() >= READABLE) return;  // the whole diagram is readable: keep it all
    const pad = 60;
    const b = box(elements);
    const outer = canvas.viewbox().outer;
    const scale = Math.min(READABLE, outer.width / (b.x1 - b.x0 + 2 * pad), outer.height / (b.y1 - b.y0 + 2 * pad));
    const width = outer.width / scale;
    const height = outer.height / scale;
    canvas.viewbox({ x: (b.x0 + b.x1 - width) / 2, y: (b.y0 + b.y1 - height) / 2, width, height });
  }

  // from the start event along the flows to the first task a person does
  function firstSteps(start) {
    const queue = [[start]];
    const seen = new Set([start.id]);
    while (queue.length) {
      const path = queue.shift();
      const last = path[path.length - 1];
      if (last !== start && last.type === 'bpmn:UserTask') return path;
      for (const flow of last.outgoing || []) {
        const next = flow.target;
        if (next && !seen.has(next.id)) {
          seen.add(next.id);
          queue.push([...path, next]);
        }
      }
    }
    return [start];
  }

  function toolbar(container, canvas, refocus) {
    const labels = parse(container.dataset.labels, '{}');
    const bar = document.createElement('div');
    bar.className = 'diagram-tools';
    const button = (text, title, action, testid) => {
      const b = document.createElement('button');
      b.type = 'button';
      b.className = 'btn small';
      b.textContent = text;
      b.title = title;
      b.dataset.testid = testid;
      b.addEventListener('click', action);
      bar.appendChild(b);
    };
    if (refocus) button(labels.focus || '◎', labels.focus || '', refocus, 'diagram-focus');
    button(labels.fit || '⤢', labels.fit || '', () => canvas.zoom('fit-viewport', 'auto'), 'diagram-fit');
    button('+', labels.zoomIn || '+', () => canvas.zoom(canvas.zoom() * 1.25), 'diagram-zoom-in');
    button('−', labels.zoomOut || '−', () => canvas.zoom(canvas.zoom() / 1.25), 'diagram-zoom-out');
    container.appendChild(bar);
  }

  // the path on the viewer (`state` as operations.diagram_path gives it, plus `current`); whatever an
  // earlier call marked and painted is taken off first, so one viewer can show one step after another
  function mark(viewer, container, state) {
    unmark(viewer);
    const canvas = viewer.get('canvas');
    const registry = viewer.get('elementRegistry');
    const found = (ids) => (ids || []).map((id) => registry.get(id)).filter(Boolean);
    const marked = [];
    const painted = [];
    const addMarker = (id, cls) => { canvas.addMarker(id, cls); marked.push([id, cls]); };
    const paintOn = (node, style) => { paint(node, style); painted.push([node, style]); };
    const marks = { 'gc-done': state.completed, 'gc-active': state.active, 'gc-current': state.current };
    for (const [cls, ids] of Object.entries(marks)) {
      for (const element of found(ids)) {
        addMarker(element.id, cls);
        const line = element.waypoints && cls === 'gc-active' && registry.getGraphics(element).querySelector('.djs-visual > path');
        if (line) paintOn(line, PAINT.activeFlow);
      }
    }
    for (const flow of found(state.flows)) {
      addMarker(flow.id, 'gc-flow');
      const line = registry.getGraphics(flow).querySelector('.djs-visual > path');
      if (line) paintOn(line, PAINT.flow);
    }
    for (const element of found(state.cancelled)) {
      addMarker(element.id, 'gc-cancelled');
      const visual = registry.getGraphics(element).querySelector('.djs-visual');
      if (!visual) continue;
      if (visual.firstElementChild) paintOn(visual.firstElementChild, PAINT.cancelled);
      for (const text of visual.querySelectorAll('text')) paintOn(text, PAINT.cancelledText);
    }
    const labels = parse(container.dataset.labels, '{}');
    const overlays = viewer.get('overlays');
    for (const [id, count] of Object.entries(state.passes || {})) {
      if (!registry.get(id)) continue;
      const badge = document.createElement('div');
      badge.className = 'gc-passes';
      badge.dataset.element = id;
      badge.textContent = '×' + count;
      badge.title = (labels.passes || '{n}').replace('{n}', count);
      paint(badge, PAINT.passes);
      // never smaller than its own size: still readable with the whole diagram in view
      overlays.add(id, 'gc-passes', { position: { top: -9, right: 12 }, scale: { min: 1 }, html: badge });
    }
    const heat = state.heat || {};
    const most = Math.max(0, ...Object.values(heat));
    for (const [id, count] of Object.entries(heat)) {
      if (!registry.get(id) || !count) continue;
      const badge = document.createElement('div');
      badge.className = 'gc-heat';
      badge.dataset.element = id;
      badge.textContent = String(count);
      badge.title = (labels.heat || '{n}').replace('{n}', count);
      paint(badge, { ...PAINT.heat, background: heatColour(count, most) });
      overlays.add(id, 'gc-heat', { position: { top: -10, left: -10 }, scale: { min: 1 }, html: badge });
    }
    const legend = container.parentElement.querySelector('.legend');
    const swatches = { flow: PAINT.swatchFlow, cancelled: PAINT.swatchCancelled,
      passes: { ...PAINT.passes, ...PAINT.swatchPasses } };
    for (const swatch of legend ? legend.querySelectorAll('[data-paint]') : []) paint(swatch, swatches[swatch.dataset.paint]);
    viewer.gcMarked = marked;
    viewer.gcPainted = painted;
    return found;
  }

  function unmark(viewer) {
    const canvas = viewer.get('canvas');
    const registry = viewer.get('elementRegistry');
    for (const [id, cls] of viewer.gcMarked || []) if (registry.get(id)) canvas.removeMarker(id, cls);
    for (const [node, style] of viewer.gcPainted || []) {
      for (const name of Object.keys(style)) node.style.removeProperty(name);
    }
    viewer.get('overlays').remove({ type: 'gc-passes' });
    viewer.get('overlays').remove({ type: 'gc-heat' });
    viewer.gcMarked = [];
    viewer.gcPainted = [];
  }

  async function open(container, xml) {
    const viewer = new BpmnJS({ container });
    await viewer.importXML(xml);
    return viewer;
  }

  async function show(container) {
    const response = await fetch(container.dataset.url, { credentials: 'same-origin' });
    if (!response.ok) throw new Error('diagram ' + response.status);
    const viewer = await open(container, await response.text());
    const canvas = viewer.get('canvas');
    const registry = viewer.get('elementRegistry');
    const state = { completed: parse(container.dataset.completed, '[]'), active: parse(container.dataset.active, '[]'),
      current: parse(container.dataset.current, '[]'), cancelled: parse(container.dataset.cancelled, '[]'),
      flows: parse(container.dataset.flows, '[]'), passes: parse(container.dataset.passes, '{}'),
      heat: parse(container.dataset.heat, '{}') };
    const found = mark(viewer, container, state);
    let focus = found(state.current);
    if (!focus.length) focus = found(state.active);
    const started = container.dataset.started === 'true';
    if (!started) {
      const start = registry.filter((e) => e.type === 'bpmn:StartEvent' && !e.labelTarget)[0];
      focusOn(canvas, start ? firstSteps(start) : []);
      toolbar(container, canvas, null);
    } else {
      const refocus = () => (focus.length ? focusOn(canvas, focus) : canvas.zoom('fit-viewport', 'auto'));
      refocus();
      toolbar(container, canvas, focus.length ? refocus : null);
    }
    container.dataset.ready = 'true';
    return viewer;
  }

  // for pages that drive a viewer themselves (the step-through page of a replay)
  window.GuichengDiagram = { open, mark, focusOn, toolbar };

  const container = document.getElementById('diagram');
  if (container) {
    show(container).catch((e) => {
      container.dataset.ready = 'error';
      container.textContent = e.message;
    });
  }
})();
