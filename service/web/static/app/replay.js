/* The step-through page of a case's replay: one frame per event (from the page's JSON data block),
 * shown on the version's own diagram through the shared viewer (diagram.js), beside the event's
 * actor, time, role, data changes and the documents at that point. The scrubber, the buttons and
 * the keys ←/→ (step) and Home/End (jump) move between frames; the address keeps the step
 * (?step=N, from 1) so a link shows that moment. A migrated case switches diagrams at its
 * `migrated` event; one viewer imports the other version's XML then. */
(function () {
  'use strict';

  const config = JSON.parse(document.getElementById('replay-config').textContent);
  const frames = config.frames;
  const labels = config.labels;
  const versions = new Map(config.versions.map((v) => [v.definition_id, v]));
  const container = document.getElementById('replay-diagram');
  const scrubber = document.getElementById('replay-scrubber');
  const byTestId = (id) => document.querySelector(`[data-testid="${id}"]`);
  const Diagram = window.GuichengDiagram;
  let viewer = null;
  let shownVersion = null;
  let index = Math.min(Math.max(config.step - 1, 0), frames.length - 1);
  let drawing = Promise.resolve();

  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, (_m, key) => (key in values ? String(values[key]) : ''));
  }

  function text(id, value) { byTestId(id).textContent = value == null ? '' : String(value); }

  function cell(row, value) {
    const td = document.createElement('td');
    td.textContent = value;
    row.appendChild(td);
    return td;
  }

  function showChanges(frame) {
    const body = byTestId('replay-changes').querySelector('tbody');
    body.replaceChildren();
    for (const change of frame.changes) {
      const row = document.createElement('tr');
      row.dataset.field = change.field;
      const name = cell(row, change.label);
      name.title = change.field;
      cell(row, change.old_text || labels.empty).className = 'replay-old';
      cell(row, change.new_text || labels.empty).className = 'replay-new';
      body.appendChild(row);
    }
    byTestId('replay-changes').hidden = !frame.changes.length;
    byTestId('replay-no-changes').hidden = !!frame.changes.length;
  }

  function showDocuments(frame) {
    const list = byTestId('replay-documents');
    list.replaceChildren();
    for (const doc of frame.documents) {
      const item = document.createElement('li');
      item.dataset.field = doc.field;
      item.append(doc.label + '：');
      const link = document.createElement('a');
      link.href = doc.url;
      link.textContent = doc.name;
      item.appendChild(link);
      const sha = document.createElement('code');
      sha.className = 'replay-sha';
      sha.textContent = doc.sha_short;
      sha.title = 'SHA-256 ' + doc.sha256;
      item.append(' ', sha);
      list.appendChild(item);
    }
    list.hidden = !frame.documents.length;
    byTestId('replay-no-documents').hidden = !!frame.documents.length;
  }

  // the view follows the case: the element the event names and what waits after it, at a readable
  // scale (全图 in the toolbar shows the whole diagram); the end of a case shows it all
  function focus(frame) {
    const canvas = viewer.get('canvas');
    const registry = viewer.get('elementRegistry');
    const ids = [frame.element_id, ...(frame.path.active || [])];
    const found = ids.map((id) => id && registry.get(id)).filter(Boolean);
    if (found.length) Diagram.focusOn(canvas, found); else canvas.zoom('fit-viewport', 'auto');
  }

  async function showDiagram(frame) {
    const version = versions.get(frame.definition_id) || versions.get(shownVersion) || config.versions[0];
    if (!version) return;
    if (!viewer) {
      viewer = await Diagram.open(container, version.xml);
      Diagram.toolbar(container, viewer.get('canvas'), () => focus(frames[index]));
    } else if (version.definition_id !== shownVersion) {
      await viewer.importXML(version.xml);
      viewer.gcMarked = [];
      viewer.gcPainted = [];
    }
    shownVersion = version.definition_id;
    container.dataset.version = version.version;
    text('replay-diagram-title', fill(labels.diagram, { version: version.version }));
    Diagram.mark(viewer, container, { ...frame.path, current: [] });
    focus(frame);
    container.dataset.step = String(index + 1);
    container.dataset.ready = 'true';
  }

  function show(next, push) {
    index = Math.min(Math.max(next, 0), frames.length - 1);
    const frame = frames[index];
    scrubber.value = String(index + 1);
    text('replay-position', fill(labels.stepOf, { n: index + 1, total: frames.length }));
    text('replay-label', frame.label);
    text('replay-actor', frame.actor_name);
    text('replay-at', frame.when);
    text('replay-role', frame.role_name || '—');
    text('replay-version', frame.version == null ? '—' : frame.version);
    text('replay-seq', frame.seq);
    const migrated = byTestId('replay-migrated');
    migrated.hidden = frame.type !== 'migrated';
    migrated.textContent = frame.type === 'migrated' ? fill(labels.migrated, { version: frame.version }) : '';
    showChanges(frame);
    showDocuments(frame);
    for (const [name, disabled] of [['first', index === 0], ['prev', index === 0],
      ['next', index === frames.length - 1], ['last', index === frames.length - 1]]) {
      byTestId('replay-' + name).disabled = disabled;
    }
    if (push) {
      const url = new URL(window.location.href);
      url.searchParams.set('step', String(index + 1));
      window.history.replaceState(null, '', url);
    }
    container.dataset.ready = 'false';
    drawing = drawing.then(() => showDiagram(frames[index])).catch((e) => {
      container.dataset.ready = 'error';
      container.textContent = e.message;
    });
  }

  const moves = { first: () => 0, prev: () => index - 1, next: () => index + 1, last: () => frames.length - 1 };
  for (const button of document.querySelectorAll('.replay-controls [data-step]')) {
    button.addEventListener('click', () => show(moves[button.dataset.step](), true));
  }
  scrubber.addEventListener('input', () => show(Number(scrubber.value) - 1, true));
  const keys = { ArrowLeft: 'prev', ArrowRight: 'next', Home: 'first', End: 'last' };
  document.addEventListener('keydown', (event) => {
    const move = keys[event.key];
    if (!move || event.altKey || event.ctrlKey || event.metaKey) return;
    const target = event.target;
    if (target === scrubber) return;  // the range input steps by itself
    if (target.closest && target.closest('input, textarea, select, [contenteditable="true"]')) return;
    event.preventDefault();
    show(moves[move](), true);
  });
  show(index, false);
})();
