/* A task form or a start form: form-js renders it, the server validates it.
 *
 * Submitting always goes to the server (the browser's checks are a convenience);
 * a 400 answer's per-field errors are shown under the fields and in a summary,
 * both in the order of the form.
 *
 * Documents are form-js's own `filepicker` fields. form-js keeps the chosen files in its
 * `fileRegistry` under a key that is the field's value, and clears a value whose key it
 * does not know. So every reference a case already holds (`upload:<sha256>/<name>`) is
 * registered as a key with an empty placeholder file of that name, and a newly chosen file
 * is uploaded at once to /uploads: its temporary `files::…` key is then swapped for the
 * returned reference. The field shows the file's name, a remove button, and the upload's
 * state; a read-only page links each file to the case's download route.
 */
(function () {
  'use strict';

  const config = JSON.parse(document.getElementById('page-config').textContent);
  const text = JSON.parse(document.getElementById('page-messages').textContent);
  const csrf = document.querySelector('meta[name="csrf-token"]').content;
  const host = document.getElementById('form');
  const summary = document.querySelector('[data-testid="error-summary"]');
  const submitButton = document.getElementById('submit');
  const submitState = document.getElementById('submit-state');

  // form-js writes its own checks in English; the pages speak Chinese by default
  const ZH_MESSAGES = [
    [/^Field is required\.$/, () => '必填'],
    [/^Field must have minimum length of (.+)\.$/, (m) => `至少 ${m[1]} 个字符`],
    [/^Field must have maximum length of (.+)\.$/, (m) => `最多 ${m[1]} 个字符`],
    [/^Field must have minimum value of (.+)\.$/, (m) => `不能小于 ${m[1]}`],
    [/^Field must have maximum value of (.+)\.$/, (m) => `不能大于 ${m[1]}`],
    [/^Field must match pattern (.+)\.$/, () => '格式不正确'],
    [/^Field must be a valid email\.$/, () => '邮箱格式不正确'],
    [/^Field must be a valid\s+international phone number/, () => '电话号码格式不正确'],
  ];

  function localMessage(message) {
    if (text.lang !== 'zh') return message;
    for (const [pattern, make] of ZH_MESSAGES) {
      const m = pattern.exec(message);
      if (m) return make(m);
    }
    return message;
  }

  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, (whole, name) => (name in values ? String(values[name]) : whole));
  }

  // text that form-js renders in English, in the page's language; only the text node's value is
  // changed, so form-js (preact) keeps updating the node it owns
  function setText(node, value) {
    if (node && node.nodeType === Node.TEXT_NODE && node.nodeValue !== value) node.nodeValue = value;
  }

  // the buttons of repeating rows (dynamic lists): "Add new", "Collapse", "Expand all (n)", "Remove list item n"
  function translateRowButtons() {
    for (const button of host.querySelectorAll('.fjs-repeat-render-add')) setText(button.lastChild, text.rowAdd);
    for (const button of host.querySelectorAll('.fjs-repeat-render-collapse')) {
      const last = button.lastChild;
      const expand = last && /\((\d+)\)/.exec(last.nodeValue || '');
      setText(last, expand ? fill(text.rowExpand, { n: expand[1] }) : text.rowCollapse);
    }
    for (const button of host.querySelectorAll('.fjs-repeat-row-remove')) {
      const n = /(\d+)$/.exec(button.getAttribute('aria-label') || '');
      const label = n ? fill(text.rowRemove, { n: n[1] }) : text.rowRemove;
      if (n && button.getAttribute('aria-label') !== label) button.setAttribute('aria-label', label);
    }
  }

  function translatePlaceholders() {
    translateRowButtons();
    if (text.lang !== 'zh') return;
    const walker = document.createTreeWalker(host, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      if (node.nodeValue.trim() === 'Select') node.nodeValue = '请选择';
    }
    for (const input of host.querySelectorAll('input[placeholder="Select"]')) input.placeholder = '请选择';
  }

  function showSummary(title, items) {
    summary.textContent = '';
    if (!title) { summary.hidden = true; return; }
    const head = document.createElement('strong');
    head.textContent = title;
    summary.appendChild(head);
    if (items.length) {
      const list = document.createElement('ul');
      for (const item of items) {
        const li = document.createElement('li');
        li.textContent = item;
        list.appendChild(li);
      }
      summary.appendChild(list);
    }
    summary.hidden = false;
    summary.scrollIntoView({ block: 'nearest' });
  }

  // every keyed component in the order the form shows it
  function components() {
    const found = [];
    const walk = (list) => {
      for (const c of list || []) {
        if (c.key) found.push(c);
        walk(c.components);
      }
    };
    walk((config.schema || {}).components);
    return found;
  }

  function component(key) {
    return components().find((c) => c.key === key) || { key, label: key };
  }

  function formOrder(key) {
    const generic = key.replace(/\[\d+\]/g, '');
    const index = components().findIndex((c) => c.key === generic || c.key === generic.split('.').pop());
    return index < 0 ? Number.MAX_SAFE_INTEGER : index;
  }

  function messageText(message) {
    if (typeof message === 'string') return message;
    return (message && (message.text || message.code)) || '';
  }

  function serverErrors(form, errors) {
    // "客户名称: 必填" reads better under the field without the label
    const byField = {};
    const lines = [];
    const entries = Object.entries(errors || {}).sort((a, b) => formOrder(a[0]) - formOrder(b[0]));
    for (const [key, message] of entries) {
      const c = component(key);
      const label = c.label || key;
      const said = messageText(message);
      const short = said.startsWith(label + ': ') ? said.slice(label.length + 2) : said;
      const id = config.fieldIds[key];
      if (id) byField[id] = [short];
      lines.push(`${label}: ${short}`);
    }
    if (form) form._setState({ errors: byField });
    showSummary(text.errors, lines);
  }

  /* ---- documents: filepicker fields ---- */

  const REFERENCE = /^upload:[0-9a-f]{64}\/([^/\\]+)$/;
  const documentUrl = host.dataset.documentUrl || '';
  const held = new Map();      // fileRegistry key -> the value sent: a reference, or a list of them
  const states = new Map();    // component id -> {kind: 'busy'|'ok'|'bad', said}
  const pending = new Set();   // uploads under way
  let counter = 0;

  function isReference(value) { return typeof value === 'string' && REFERENCE.test(value); }
  function nameOf(reference) { const m = REFERENCE.exec(reference || ''); return m ? m[1] : String(reference || ''); }
  function pickers() { return components().filter((c) => c.type === 'filepicker'); }
  function isMultiple(c) { return c.multiple === true || c.multiple === 'true'; }

  function referencesOf(key) {
    const value = held.get(key);
    return value === undefined ? [] : [].concat(value).filter(isReference);
  }

  // a value the case holds becomes a registry key with placeholder files bearing the file names
  function registerValue(registry, c, value) {
    const references = [].concat(value || []).filter(isReference);
    if (!references.length) return null;
    const key = !isMultiple(c) && typeof value === 'string' ? value : `refs::${++counter}`;
    registry.setFiles(key, references.map((r) => new File([], nameOf(r))));
    held.set(key, isMultiple(c) ? references : references[0]);
    return key;
  }

  function fieldInstance(form, c) {
    return form.get('formFieldInstanceRegistry').getAllKeyed().find((i) => i.id === c.id);
  }

  function setValue(form, c, value) {
    const instance = fieldInstance(form, c);
    if (!instance) return;
    form._update({ field: form.get('formFieldRegistry').get(c.id), indexes: instance.indexes,
      fieldInstance: instance, value });
  }

  function currentValue(form, c) {
    return (form._getState().data || {})[c.key];
  }

  async function uploadOne(file) {
    const body = new FormData();
    body.append('file', file);
    body.append('csrf_token', csrf);
    const response = await fetch('/uploads', {
      method: 'POST', credentials: 'same-origin', body,
      headers: { 'X-CSRF-Token': csrf, 'Accept': 'application/json' },
    });
    let answer = {};
    try { answer = await response.json(); } catch (e) { answer = {}; }
    if (!response.ok || !answer.reference) throw new Error(answer.error || answer.detail || String(response.status));
    return answer.reference;
  }

  async function upload(form, c, files) {
    const registry = form.get('fileRegistry');
    const temporary = `files::${++counter}`;
    const before = currentValue(form, c);
    registry.setFiles(temporary, files);
    setValue(form, c, temporary);
    if (before && before !== temporary) { registry.deleteFiles(before); held.delete(before); }
    states.set(c.id, { kind: 'busy', said: text.docUploading });
    decorate(form);
    try {
      const references = await Promise.all(files.map(uploadOne));
      if (currentValue(form, c) !== temporary) return;  // removed or replaced meanwhile
      const key = isMultiple(c) ? `refs::${++counter}` : references[0];
      registry.setFiles(key, files);
      held.set(key, isMultiple(c) ? references : references[0]);
      setValue(form, c, key);
      states.set(c.id, { kind: 'ok', said: fill(text.docUploaded, { name: references.map(nameOf).join('、') }) });
    } catch (e) {
      if (currentValue(form, c) === temporary) setValue(form, c, null);
      states.set(c.id, { kind: 'bad', said: fill(text.docFailed, { reason: e.message }) });
    } finally {
      registry.deleteFiles(temporary);
      decorate(form);
    }
  }

  function remove(form, c) {
    const key = currentValue(form, c);
    setValue(form, c, null);
    if (key) { form.get('fileRegistry').deleteFiles(key); held.delete(key); }
    states.delete(c.id);
    decorate(form);
  }

  function fieldElement(c) {
    const input = host.querySelector(`input[type=file][id$="-${CSS.escape(c.id)}"]`);
    return input ? { input, field: input.closest('.fjs-form-field') || input.parentElement } : null;
  }

  function ensure(parent, selector, make) {
    let node = parent.querySelector(selector);
    if (!node) { node = make(); parent.appendChild(node); }
    return node;
  }

  // the chosen files' names, remove, state and download links beside form-js's own button and label
  function decorate(form) {
    const readOnly = Boolean(config.readOnly);
    for (const c of pickers()) {
      const found = fieldElement(c);
      if (!found) continue;  // hidden by its condition
      const { input, field } = found;
      field.classList.add('doc-field');
      field.dataset.key = c.key;
      input.dataset.testid = `upload-${c.key}`;
      const box = field.querySelector('.fjs-filepicker-container') || field;
      const button = box.querySelector('.fjs-filepicker-button');
      if (button) setText(button.firstChild, text.docBrowse);
      const label = box.querySelector('.fjs-form-field-label');
      if (label && label.firstChild) {
        const shown = label.firstChild.nodeValue;
        const many = /^(\d+) files selected$/.exec(shown);
        if (shown === 'No files selected') setText(label.firstChild, text.docNone);
        else if (many) setText(label.firstChild, fill(text.docMany, { n: many[1] }));
      }
      const key = currentValue(form, c);
      const references = referencesOf(key);
      const fixed = readOnly || c.readonly === true;
      const removeButton = ensure(box, '.doc-remove', () => {
        const b = document.createElement('button');
        b.type = 'button';
        b.className = 'btn small doc-remove';
        b.dataset.testid = `remove-${c.key}`;
        b.textContent = text.docRemove;
        b.addEventListener('click', () => remove(form, c));
        return b;
      });
      const files = key ? form.get('fileRegistry').getFiles(key) : [];
      removeButton.hidden = fixed || !key;
      removeButton.setAttribute('aria-label', fill(text.docRemoveNamed, { name: files.map((f) => f.name).join('、') }));
      const status = ensure(field, '.doc-status', () => {
        const s = document.createElement('div');
        s.className = 'doc-status';
        s.setAttribute('aria-live', 'polite');
        return s;
      });
      const state = states.get(c.id) || { kind: '', said: '' };
      const wanted = `doc-status status ${state.kind}`.trim();
      if (status.className !== wanted) status.className = wanted;
      if (status.textContent !== state.said) status.textContent = state.said;
      const links = ensure(field, '.doc-downloads', () => {
        const d = document.createElement('div');
        d.className = 'doc-downloads';
        return d;
      });
      const hrefs = fixed && documentUrl ? references.map((r) => `${documentUrl}?ref=${encodeURIComponent(r)}`) : [];
      if (links.dataset.shown !== hrefs.join(' ')) {
        links.dataset.shown = hrefs.join(' ');
        links.textContent = '';
        references.forEach((r, i) => {
          if (!hrefs[i]) return;
          const a = document.createElement('a');
          a.href = hrefs[i];
          a.className = 'doc-download';
          a.textContent = fill(text.docDownload, { name: nameOf(r) });
          links.appendChild(a);
        });
      }
    }
  }

  function setupDocuments(form) {
    // a chosen file is ours to upload: form-js's own handler would file it under the old key
    host.addEventListener('change', (event) => {
      const input = event.target;
      if (!(input instanceof HTMLInputElement) || input.type !== 'file') return;
      const c = pickers().find((p) => input.id.endsWith(`-${p.id}`));
      if (!c) return;
      event.stopPropagation();
      const files = Array.from(input.files || []);
      if (!files.length) return;
      const done = upload(form, c, isMultiple(c) ? files : files.slice(0, 1));
      pending.add(done);
      done.finally(() => pending.delete(done));
    }, true);
    form.on('changed', () => decorate(form));
    new MutationObserver(() => { translatePlaceholders(); decorate(form); })
      .observe(host, { childList: true, subtree: true });
    decorate(form);
  }

  // what the server gets: references instead of registry keys, read-only fields left out
  function submitted(data) {
    const out = { ...data };
    for (const c of pickers()) {
      const value = out[c.key];
      if (value === undefined) continue;
      out[c.key] = held.has(value) ? held.get(value) : null;
    }
    for (const c of components()) {
      if (c.readonly === true) delete out[c.key];
    }
    return out;
  }

  async function send(form, data) {
    const body = config.mode === 'start' ? { process_id: config.processId, data } : { data };
    const response = await fetch(config.submitUrl, {
      method: 'POST', credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json', 'Accept': 'application/json', 'X-CSRF-Token': csrf },
      body: JSON.stringify(body),
    });
    let answer = {};
    try { answer = await response.json(); } catch (e) { answer = {}; }
    if (response.ok) {
      const id = config.mode === 'start' ? answer.id : answer.task_id;
      window.location.assign(config.successUrl.replace('{id}', id));
      return;
    }
    if (response.status === 400 && answer.errors && Object.keys(answer.errors).length) {
      serverErrors(form, answer.errors);
    } else {
      showSummary(text.failed + (answer.detail || answer.error || response.status), []);
    }
  }

  async function submit(form) {
    submitButton.disabled = true;
    submitState.textContent = text.saving;
    try {
      if (pending.size) {
        submitState.textContent = text.docStillUploading;
        await Promise.allSettled([...pending]);
        submitState.textContent = text.saving;
      }
      // form-js marks what it finds; the server has the last word
      const data = form ? submitted(form.submit().data) : {};
      await send(form, data);
    } catch (e) {
      showSummary(text.failed + e.message, []);
    } finally {
      submitButton.disabled = false;
      submitState.textContent = '';
    }
  }

  async function main() {
    let form = null;
    if (config.schema) {
      form = new FormViewer.Form({ container: host });
      const validator = form.get('validator');
      const check = validator.validateFieldInstance.bind(validator);
      validator.validateFieldInstance = (...args) => check(...args).map(localMessage);
      // importSchema empties the file registry first: the references are registered right after
      const data = { ...(config.data || {}) };
      const existing = pickers().filter((c) => data[c.key] !== undefined && data[c.key] !== null);
      form.get('eventBus').on('form.clear', 500, () => {  // after the registry's own clearing (priority 1000)
        const registry = form.get('fileRegistry');
        for (const c of existing) data[c.key] = registerValue(registry, c, config.data[c.key]);
      });
      await form.importSchema(config.schema, data);
      translatePlaceholders();
      form.on('changed', (state) => {  // all marked fields corrected: the summary has done its job
        if (!summary.hidden && !Object.keys(state.errors || {}).length) showSummary(null, []);
      });
      if (config.readOnly) form.setProperty('readOnly', true);
      setupDocuments(form);
    } else {
      host.textContent = text.noForm;
    }
    if (submitButton) submitButton.addEventListener('click', () => submit(form));
    document.body.dataset.formReady = 'true';
  }

  main().catch((e) => showSummary(text.failed + e.message, []));
})();
