/* The editor page's 决策表 tab: the draft's .dmn files, each in the decision editor when the modeler
 * bundle brings one (GuichengModeler.createDecisionEditor), else as read-only XML. */
(function () {
  'use strict';

  function create({ say, lang, onChange }) {
    const P = window.GuichengPages;
    const $ = (id) => document.getElementById(id);
    const files = {};   // name → DMN text, as loaded or edited
    let current = null;
    let editor = null;
    let shown = false;
    const editable = () => Boolean(window.GuichengModeler && window.GuichengModeler.createDecisionEditor
      && typeof window.DmnJS === 'function');

    async function keep() {
      if (editor && current) files[current] = await editor.saveXML();
    }

    function renderList() {
      const list = $('table-list');
      list.replaceChildren();
      for (const name of Object.keys(files).sort()) {
        const item = P.element('li', { testid: 'table-item' });
        item.dataset.file = name;
        const button = P.element('button', { type: 'button', className: 'item-link' + (name === current ? ' active' : '') }, name);
        button.addEventListener('click', () => open(name));
        item.appendChild(button);
        list.appendChild(item);
      }
      if (!list.children.length) list.appendChild(P.element('li', { className: 'muted' }, say('noTables')));
    }

    async function open(name) {
      await keep();
      current = name;
      renderList();
      $('table-empty').hidden = true;
      if (!editable()) {
        $('decision-xml').hidden = false;
        $('decision-xml').textContent = files[name];
        return;
      }
      $('decision-editor').hidden = false;
      if (!editor) {
        editor = await window.GuichengModeler.createDecisionEditor({ container: $('decision-editor'), lang });
        // dmn-js has one command stack per view (table, requirements diagram): any change marks the draft
        const raw = editor.editor;
        if (raw && raw.on) raw.on('views.changed', () => { const viewer = raw.getActiveViewer(); if (viewer) viewer.on('commandStack.changed', onChange); });
      }
      try {
        await editor.importXML(files[name]);
      } catch (error) {
        $('table-empty').hidden = false;
        $('table-empty').textContent = say('notShown', { error: error.message });
      }
    }

    return {
      show() {
        if (shown) return;
        shown = true;
        renderList();
      },
      load(loaded) {
        for (const name of Object.keys(files)) delete files[name];
        for (const [name, text] of Object.entries(loaded)) if (name.endsWith('.dmn')) files[name] = text;
        current = null;
        $('decision-xml').hidden = true;
        $('decision-editor').hidden = true;
        $('table-empty').hidden = false;
        if (shown) renderList();
      },
      /* the diagram's files with the decision tables as edited */
      async collect(into) {
        await keep();
        return { ...into, ...files };
      },
    };
  }

  window.GuichengDecisionsTab = { create };
})();
