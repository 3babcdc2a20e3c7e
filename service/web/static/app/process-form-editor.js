/* The editor page's 表单 tab: the draft's forms in a list, the chosen one in the form-js editor, a
 * preview with sample case data in the form viewer, and 「插入人员选择」 (a select whose people the server
 * fills in from a role: `properties.userPicker`, see the forms rules). form-js 1.23 translates nothing:
 * the palette takes its entries' names from each field type's config (`name`), so a small module
 * names them in the page language before the palette is drawn; the palette's fixed captions (group
 * titles, search) have no such hook and are relabelled where they are drawn. */
(function () {
  'use strict';

  const FIELD_TYPES = ['textfield', 'textarea', 'number', 'datetime', 'expression', 'filepicker', 'checkbox',
    'checklist', 'radio', 'select', 'taglist', 'text', 'html', 'image', 'table', 'iframe', 'spacer', 'separator',
    'group', 'dynamiclist', 'button', 'documentPreview'];
  // the palette's own English captions → label keys
  const CAPTIONS = { Input: 'palette.input', Selection: 'palette.selection', Presentation: 'palette.presentation',
    Containers: 'palette.containers', Action: 'palette.action', Components: 'palette.components',
    'No components found.': 'palette.none' };
  const KEY = /^[A-Za-z_][A-Za-z0-9_-]*$/;

  function create({ say, roles, onChange }) {
    const P = window.GuichengPages;
    const $ = (id) => document.getElementById(id);
    const forms = {};   // formKey → form-js JSON text, as last loaded or edited
    let current = null;
    let editor = null;
    let view = 'edit';
    let shown = false;

    /* an editor module: every field type named in the page language, before anything is drawn */
    function fieldNames(formFields) {
      for (const type of FIELD_TYPES) {
        const field = formFields.get(type);
        const name = say('field.' + type);
        if (field && field.config && name !== 'field.' + type) field.config = { ...field.config, name, label: name };
      }
    }
    fieldNames.$inject = ['formFields'];

    /* the caption's own text node is changed (preact keeps it, and redraws only when its text changes) */
    function relabel(root) {
      for (const node of root.querySelectorAll('.fjs-palette-group-title, .fjs-palette-header, .fjs-palette-no-entries')) {
        for (const text of node.childNodes) {
          const key = text.nodeType === Node.TEXT_NODE ? CAPTIONS[text.data.trim()] : null;
          if (key) text.data = say(key);
        }
        const key = CAPTIONS[node.title];
        if (key) node.title = say(key);
      }
      // the properties panel: group titles, labels and descriptions drawn in English by form-js
      const captions = '.fjs-properties-panel .bio-properties-panel-group-header-title, '
        + '.fjs-properties-panel .bio-properties-panel-label, .fjs-properties-panel .bio-properties-panel-toggle-switch__label, '
        + '.fjs-properties-panel .bio-properties-panel-tooltip-wrapper';
      for (const node of root.querySelectorAll(captions)) {
        for (const text of node.childNodes) {
          if (text.nodeType !== Node.TEXT_NODE) continue;
          const key = 'fp.' + text.data.trim();
          const said = say(key);
          if (said !== key && said !== text.data.trim()) text.data = said;
        }
        if (node.title && say('fp.' + node.title) !== 'fp.' + node.title) node.title = say('fp.' + node.title);
      }
      const search = root.querySelector('.fjs-palette-search');
      if (search && search.placeholder !== say('palette.search')) search.placeholder = say('palette.search');
    }

    function newEditor() {
      const host = $('form-editor');
      host.replaceChildren();
      const made = new window.FormEditor.FormEditor({
        container: host, additionalModules: [{ __init__: ['guichengFieldNames'], guichengFieldNames: ['type', fieldNames] }],
      });
      made.on('changed', () => {
        if (!made.importing) onChange();
      });
      new MutationObserver(() => relabel(host)).observe(host, { childList: true, subtree: true, characterData: true });
      return made;
    }

    function keep() {
      if (editor && current) forms[current] = JSON.stringify(editor.saveSchema(), null, 2);
    }

    function renderList() {
      const list = $('form-list');
      list.replaceChildren();
      for (const key of Object.keys(forms).sort()) {
        const item = P.element('li', { testid: 'form-item' });
        item.dataset.formKey = key;
        const button = P.element('button', { type: 'button', className: 'item-link' + (key === current ? ' active' : '') }, key);
        button.setAttribute('aria-current', key === current ? 'true' : 'false');
        button.addEventListener('click', () => open(key));
        item.appendChild(button);
        list.appendChild(item);
      }
      if (!list.children.length) list.appendChild(P.element('li', { className: 'muted' }, say('noForms')));
    }

    async function open(key) {
      keep();
      current = key;
      renderList();
      $('form-empty').hidden = true;
      $('form-tools').hidden = false;
      let schema;
      try {
        schema = JSON.parse(forms[key]);
      } catch (error) {
        $('form-empty').hidden = false;
        $('form-empty').textContent = say('formUnreadable', { key, error: error.message });
        $('form-editor').hidden = true;
        return;
      }
      if (!editor) editor = newEditor();
      editor.importing = true;
      try {
        await editor.importSchema(schema);
      } finally {
        editor.importing = false;
      }
      showView(view);
    }

    function showView(name) {
      view = name;
      for (const tab of document.querySelectorAll('[data-form-view]')) {
        const active = tab.dataset.formView === name;
        tab.classList.toggle('active', active);
        tab.setAttribute('aria-selected', active ? 'true' : 'false');
      }
      $('form-editor').hidden = name !== 'edit';
      $('form-preview-box').hidden = name !== 'preview';
      if (name === 'preview') preview();
    }

    async function preview() {
      const error = $('preview-error');
      error.hidden = true;
      let data;
      try {
        data = JSON.parse($('preview-data').value || '{}');
        if (typeof data !== 'object' || Array.isArray(data) || data === null) throw new Error(say('previewObject'));
      } catch (problem) {
        error.textContent = say('previewBadData', { error: problem.message });
        error.hidden = false;
        return;
      }
      const host = $('form-preview');
      host.replaceChildren();
      const viewer = new window.FormViewer.Form({ container: host });
      await viewer.importSchema(editor.saveSchema(), data);
    }

    function usedKeys(components, found) {
      for (const c of components || []) {
        if (c.key) found.add(c.key);
        usedKeys(c.components, found);
      }
      return found;
    }

    function insertPicker() {
      if (!editor) return;
      const role = $('picker-role').value;
      const name = (roles.find((r) => r.id === role) || {}).name || role;
      const schema = editor._getState().schema;
      const taken = usedKeys(schema.components, new Set());
      let key = role + '_user';
      for (let n = 2; taken.has(key); n += 1) key = role + '_user_' + n;
      editor.get('modeling').addFormField({
        type: 'select', key, label: say('pickerLabel', { role: name }), values: [], properties: { userPicker: role },
      }, schema, schema.components.length);
    }

    function addForm(event) {
      event.preventDefault();
      const input = $('new-form-key');
      const key = input.value.trim();
      input.setCustomValidity(!KEY.test(key) ? say('formKeyPattern') : (key in forms ? say('formExists', { key }) : ''));
      if (!input.reportValidity()) return;
      forms[key] = JSON.stringify({ type: 'default', id: key, components: [] }, null, 2);
      input.value = '';
      onChange();
      open(key);
    }

    function show() {
      if (shown) return;
      shown = true;
      const select = $('picker-role');
      for (const role of roles) select.appendChild(P.element('option', { value: role.id }, role.name));
      $('insert-picker').addEventListener('click', insertPicker);
      $('new-form').addEventListener('submit', addForm);
      $('new-form-key').addEventListener('input', (event) => event.target.setCustomValidity(''));
      $('preview-refresh').addEventListener('click', preview);
      for (const tab of document.querySelectorAll('[data-form-view]')) tab.addEventListener('click', () => showView(tab.dataset.formView));
      renderList();
    }

    return {
      show,
      load(loaded) {
        for (const key of Object.keys(forms)) delete forms[key];
        Object.assign(forms, loaded);
        const again = current && current in forms ? current : null;
        current = null;
        if (shown) renderList();
        if (again) open(again);
        else if (shown) {
          $('form-editor').hidden = true;
          $('form-preview-box').hidden = true;
          $('form-tools').hidden = true;
          $('form-empty').hidden = false;
        }
      },
      collect() {
        keep();
        return { ...forms };
      },
    };
  }

  window.GuichengFormsTab = { create };
})();
