/* The diff page: what changed between two versions (the diff endpoint) as a list, and on the
 * diagrams: the newer one with added elements green and changed ones orange, the older one with
 * the removed elements red. Clicking an element of the list shows it on its diagram. */
(function () {
  'use strict';

  const P = window.GuichengPages;
  const config = P.config('diff-config');
  const say = P.labels(config);
  const $ = (id) => document.getElementById(id);
  const viewers = {};

  /* the one place this page creates a diagram viewer */
  async function createViewer(container) {
    const response = await fetch(container.dataset.url, { credentials: 'same-origin' });
    if (!response.ok) throw new Error('diagram ' + response.status);
    const xml = await response.text();
    if (window.GuichengModeler && window.GuichengModeler.createViewer) {
      const viewer = await window.GuichengModeler.createViewer({ container, lang: config.lang });
      await viewer.importXML(xml);
      return viewer;
    }
    const plain = new window.BpmnJS({ container });
    await plain.importXML(xml);
    plain.get('canvas').zoom('fit-viewport', 'auto');
    return {
      viewer: plain,
      colour(ids, className) {
        const registry = plain.get('elementRegistry');
        for (const id of ids) if (registry.get(id)) plain.get('canvas').addMarker(id, className);
      },
    };
  }

  function focus(side, id) {
    const viewer = viewers[side];
    const raw = viewer && (viewer.viewer || viewer.modeler || viewer);
    try {
      const element = raw.get('elementRegistry').get(id);
      if (!element) return;
      const canvas = raw.get('canvas');
      canvas.zoom(1);  // readable: the whole diagram of a long process is too small to see one step
      canvas.scrollToElement(element);
      viewer.container.scrollIntoView({ block: 'nearest' });
    } catch (error) { /* a viewer without scrolling */ }
  }

  function section(title, items, testid) {
    const box = P.element('section', { className: 'diff-section', testid });
    box.appendChild(P.element('h3', {}, title + ' (' + items.length + ')'));
    const list = P.element('ul', { className: 'diff-list' });
    for (const item of items) list.appendChild(item);
    if (!items.length) list.appendChild(P.element('li', { className: 'muted' }, say('none')));
    box.appendChild(list);
    return box;
  }

  function elementItem(kind, element, side) {
    const item = P.element('li', { className: 'diff-item ' + kind, testid: 'diff-item' });
    item.dataset.kind = kind;
    item.dataset.elementId = element.id;
    const button = P.element('button', { type: 'button', className: 'item-link' },
      say('kind.' + kind) + ' · ' + (element.name || element.id) + ' (' + element.id + (element.type ? ', ' + element.type.replace('bpmn:', '') : '') + ')');
    button.addEventListener('click', () => focus(side, element.id));
    item.appendChild(button);
    if (element.properties && element.properties.length) {
      item.appendChild(P.element('div', { className: 'muted props' }, say('properties') + ': ' + element.properties.map(describe).join(', ')));
    }
    return item;
  }

  function describe(value) {
    if (value && typeof value === 'object') return value.name || value.property || JSON.stringify(value);
    return String(value);
  }

  function plainItem(kind, text, detail, testid) {
    const item = P.element('li', { className: 'diff-item ' + kind, testid: testid || 'diff-item' });
    item.dataset.kind = kind;
    item.appendChild(P.element('span', {}, say('kind.' + kind) + ' · ' + text));
    if (detail) item.appendChild(P.element('div', { className: 'muted props' }, detail));
    return item;
  }

  function formDetail(form) {
    return [['fieldsAdded', form.fields_added], ['fieldsRemoved', form.fields_removed], ['fieldsChanged', form.fields_changed]]
      .filter(([, list]) => list && list.length).map(([key, list]) => say(key) + ': ' + list.map(describe).join(', ')).join(' · ');
  }

  function render(diff) {
    const host = $('diff');
    host.replaceChildren();
    const el = diff.elements || {};
    const forms = diff.forms || {};
    const tables = diff.tables || {};
    host.appendChild(section(say('diffElements'), [
      ...(el.added || []).map((e) => elementItem('added', e, 'to')),
      ...(el.changed || []).map((e) => elementItem('changed', e, 'to')),
      ...(el.removed || []).map((e) => elementItem('removed', e, 'from')),
    ], 'diff-elements'));
    host.appendChild(section(say('diffForms'), [
      ...(forms.added || []).map((k) => plainItem('added', k)),
      ...(forms.changed || []).map((f) => plainItem('changed', f.key, formDetail(f))),
      ...(forms.removed || []).map((k) => plainItem('removed', k)),
    ], 'diff-forms'));
    host.appendChild(section(say('diffTables'), [
      ...(tables.added || []).map((k) => plainItem('added', k)),
      ...(tables.changed || []).map((t) => plainItem('changed', t.file, (t.decisions || []).map(describe).join(', '))),
      ...(tables.removed || []).map((k) => plainItem('removed', k)),
    ], 'diff-tables'));
  }

  async function paint(diff) {
    const el = diff.elements || {};
    const ids = (list) => (list || []).map((e) => e.id);
    for (const side of ['to', 'from']) {
      const container = $('diagram-' + side);
      if (!container) continue;
      try {
        viewers[side] = await createViewer(container);
        viewers[side].container = container;
        if (side === 'to') {
          viewers.to.colour(ids(el.added), 'gc-added');
          viewers.to.colour(ids(el.changed), 'gc-changed');
        } else {
          viewers.from.colour(ids(el.removed), 'gc-removed');
        }
        container.dataset.ready = 'true';
      } catch (error) {
        container.dataset.ready = 'error';
        container.textContent = error.message;
      }
    }
  }

  async function start() {
    if (!config.url) return;
    const answer = await P.api('GET', config.url);
    if (!answer.ok) {
      $('diff').replaceChildren(P.element('div', { className: 'error-summary', role: 'alert', testid: 'diff-error' }, P.said(answer.data) || String(answer.status)));
      await paint({});
      return;
    }
    render(answer.data);
    await paint(answer.data);
    document.body.dataset.diffReady = 'true';
  }

  start().catch((error) => { $('diff').textContent = String(error.message || error); });
})();
