/* A task form or a start form: form-js renders it, the server validates it.
 *
 * Submitting always goes to the server (the browser's checks are a convenience);
 * a 400 answer's per-field errors are shown under the fields and in a summary.
 * Document fields (`doc_*`) get an upload control that fills in the reference.
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
  const uploaded = {};

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

  // the server writes "必填 (required)": show the half in the page's language
  function oneLanguage(message) {
    const m = /^(.+?) \(([^()]*[A-Za-z][^()]*)\)$/.exec(message);
    if (!m) return message;
    return text.lang === 'zh' ? m[1] : m[2];
  }

  // form-js's dropdown placeholder is English; keep it in the page's language
  function translatePlaceholders() {
    if (text.lang !== 'zh') return;
    const swap = () => {
      const walker = document.createTreeWalker(host, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        if (node.nodeValue.trim() === 'Select') node.nodeValue = '请选择';
      }
      for (const input of host.querySelectorAll('input[placeholder="Select"]')) input.placeholder = '请选择';
    };
    swap();
    new MutationObserver(swap).observe(host, { childList: true, subtree: true, characterData: true });
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

  function component(key) {
    const walk = (components) => {
      for (const c of components || []) {
        if (c.key === key) return c;
        const inner = walk(c.components);
        if (inner) return inner;
      }
      return null;
    };
    return walk((config.schema || {}).components) || { key, label: key };
  }

  function serverErrors(form, errors) {
    // "客户名称: 格式不正确 (…)" reads better under the field without the label, and in the
    // words of the form's own pattern message when it has one
    const byField = {};
    const lines = [];
    for (const [key, message] of Object.entries(errors || {})) {
      const c = component(key);
      const label = c.label || key;
      let short = message.startsWith(label + ': ') ? message.slice(label.length + 2) : message;
      short = oneLanguage(short);
      const patternMessage = (c.validate || {}).patternErrorMessage;
      if (patternMessage && /must match/.test(short)) short = patternMessage;
      const id = config.fieldIds[key];
      if (id) byField[id] = [short];
      lines.push(`${label}: ${short}`);
    }
    if (form) form._setState({ errors: byField });
    showSummary(text.errors, lines);
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
    let data = {};
    if (form) {
      data = form.submit().data;  // form-js marks what it finds; the server has the last word
      for (const [key, reference] of Object.entries(uploaded)) {
        if (!data[key]) data[key] = reference;
      }
    }
    submitButton.disabled = true;
    submitState.textContent = text.saving;
    try {
      await send(form, data);
    } catch (e) {
      showSummary(text.failed + e.message, []);
    } finally {
      submitButton.disabled = false;
      submitState.textContent = '';
    }
  }

  // document fields are read-only (typed text is no upload): the upload sets the value through the form
  function fillField(form, fieldId, value) {
    if (!form) return;
    const instance = form.get('formFieldInstanceRegistry').getAllKeyed().find((i) => i.id === fieldId);
    if (!instance) return;
    form._update({ field: form.get('formFieldRegistry').get(fieldId), indexes: instance.indexes,
      fieldInstance: instance, value });
  }

  function setupUploads(form) {
    for (const row of document.querySelectorAll('.upload-row')) {
      const input = row.querySelector('input[type=file]');
      const status = row.querySelector('.status');
      input.addEventListener('change', async () => {
        if (!input.files.length) return;
        const body = new FormData();
        body.append('file', input.files[0]);
        body.append('csrf_token', csrf);
        status.className = 'status';
        status.textContent = text.uploadBusy;
        try {
          const response = await fetch('/uploads', {
            method: 'POST', credentials: 'same-origin', body,
            headers: { 'X-CSRF-Token': csrf, 'Accept': 'application/json' },
          });
          const answer = await response.json();
          if (!response.ok) throw new Error(answer.error || response.status);
          uploaded[row.dataset.key] = answer.reference;
          fillField(form, row.dataset.fieldId, answer.reference);
          status.className = 'status ok';
          status.textContent = text.uploadDone.replace('{name}', answer.name);
        } catch (e) {
          status.className = 'status bad';
          status.textContent = text.uploadFailed + e.message;
        }
      });
    }
  }

  async function main() {
    let form = null;
    if (config.schema) {
      form = new FormViewer.Form({ container: host });
      const validator = form.get('validator');
      const check = validator.validateFieldInstance.bind(validator);
      validator.validateFieldInstance = (...args) => check(...args).map(localMessage);
      await form.importSchema(config.schema, config.data || {});
      translatePlaceholders();
      form.on('changed', (state) => {  // all marked fields corrected: the summary has done its job
        if (!summary.hidden && !Object.keys(state.errors || {}).length) showSummary(null, []);
      });
      if (config.readOnly) form.setProperty('readOnly', true);
    } else {
      host.textContent = text.noForm;
    }
    setupUploads(form);
    if (submitButton) submitButton.addEventListener('click', () => submit(form));
    document.body.dataset.formReady = 'true';
  }

  main().catch((e) => showSummary(text.failed + e.message, []));
})();
