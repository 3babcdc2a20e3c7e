/* The process diagram in the navigated viewer: done, in-progress and this task's
 * elements marked; a large diagram opens at a readable zoom around what matters
 * now, and the tool buttons fit or zoom it. The bpmn.io watermark (bottom right)
 * stays visible (licence): the buttons sit top left. */
(function () {
  'use strict';

  const READABLE = 0.9;

  function parse(value) { return JSON.parse(value || '[]'); }

  // a large diagram opens around the elements that matter, at most at a readable scale
  function focusOn(canvas, elements) {
    canvas.zoom('fit-viewport', 'auto');
    if (!elements.length || canvas.zoom() >= READABLE * 0.7) return;
    const pad = 60;
    const x0 = Math.min(...elements.map((e) => e.x)) - pad;
    const y0 = Math.min(...elements.map((e) => e.y)) - pad;
    const x1 = Math.max(...elements.map((e) => e.x + (e.width || 0))) + pad;
    const y1 = Math.max(...elements.map((e) => e.y + (e.height || 0))) + pad;
    const outer = canvas.viewbox().outer;
    const scale = Math.min(READABLE, outer.width / (x1 - x0), outer.height / (y1 - y0));
    const width = outer.width / scale;
    const height = outer.height / scale;
    canvas.viewbox({ x: (x0 + x1 - width) / 2, y: (y0 + y1 - height) / 2, width, height });
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
    const labels = JSON.parse(container.dataset.labels || '{}');
    const bar = document.createElement('div');
    bar.className = 'diagram-tools';
    const button = (text, title, action) => {
      const b = document.createElement('button');
      b.type = 'button';
      b.className = 'btn small';
      b.textContent = text;
      b.title = title;
      b.addEventListener('click', action);
      bar.appendChild(b);
    };
    button(labels.focus || '◎', labels.focus || '', refocus);
    button(labels.fit || '⤢', labels.fit || '', () => canvas.zoom('fit-viewport', 'auto'));
    button('+', labels.zoomIn || '+', () => canvas.zoom(canvas.zoom() * 1.25));
    button('−', labels.zoomOut || '−', () => canvas.zoom(canvas.zoom() / 1.25));
    container.appendChild(bar);
  }

  async function show(container) {
    const response = await fetch(container.dataset.url, { credentials: 'same-origin' });
    if (!response.ok) throw new Error('diagram ' + response.status);
    const viewer = new BpmnJS({ container });
    await viewer.importXML(await response.text());
    const canvas = viewer.get('canvas');
    const registry = viewer.get('elementRegistry');
    const found = (ids) => ids.map((id) => registry.get(id)).filter(Boolean);
    const marks = { 'gc-done': parse(container.dataset.completed), 'gc-active': parse(container.dataset.active),
      'gc-current': parse(container.dataset.current) };
    for (const [cls, ids] of Object.entries(marks)) {
      for (const element of found(ids)) canvas.addMarker(element.id, cls);
    }
    let focus = found(marks['gc-current']);
    if (!focus.length) focus = found(marks['gc-active']);
    if (!focus.length) {
      const start = registry.filter((e) => e.type === 'bpmn:StartEvent' && !e.labelTarget)[0];
      focus = start ? firstSteps(start) : [];
    }
    const refocus = () => focusOn(canvas, focus);
    refocus();
    toolbar(container, canvas, refocus);
    container.dataset.ready = 'true';
    return viewer;
  }

  const container = document.getElementById('diagram');
  if (container) {
    show(container).catch((e) => {
      container.dataset.ready = 'error';
      container.textContent = e.message;
    });
  }
})();
