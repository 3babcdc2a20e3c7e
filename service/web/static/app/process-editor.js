/* The process editor page: the draft loaded from the drafts endpoint into the modeler (流程图), the form
 * editor (表单) and the decision tables (决策表); the toolbar saves, checks, deploys or discards it there.
 * The server decides what is valid: the page only shows its problems, and clicking one selects the
 * element it names. An imported .bpmn file goes the same way (saved, then checked), so the server
 * refuses a hostile file with its own message. */
(function () {
  'use strict';

  const P = window.GuichengPages;
  const config = P.config('editor-config');
  const say = P.labels(config);
  const $ = (id) => document.getElementById(id);
  const state = { draft: null, dirty: false, busy: false, bpmnName: config.processId + '.bpmn' };
  let diagram = null;

  /* ---- the modeler: created here and nowhere else ------------------------------------------ */

  async function createDiagramEditor(catalogue) {
    const options = {
      container: $('modeler'), propertiesParent: $('properties'), lang: config.lang, catalogue,
      checkExpression, previewDeadline,
    };
    if (window.GuichengModeler) return window.GuichengModeler.createModeler(options);
    return plainModeler(options);  // the vendored bpmn-js and its properties panel, without our panel
  }

  /* bpmn-js as it comes, behind the same face as GuichengModeler.createModeler */
  function plainModeler({ container, propertiesParent }) {
    const panel = window.BpmnJSPropertiesPanel;
    const modeler = new window.BpmnJS({
      container, propertiesPanel: { parent: propertiesParent },
      additionalModules: panel ? [panel.BpmnPropertiesPanelModule, panel.BpmnPropertiesProviderModule] : [],
    });
    let marked = [];
    const overlays = () => modeler.get('overlays');
    return {
      modeler,
      importXML: (xml) => modeler.importXML(xml),
      saveXML: async () => (await modeler.saveXML({ format: true })).xml,
      on: (event, fn) => modeler.get('eventBus').on(event, fn),
      select(id) {
        const element = modeler.get('elementRegistry').get(id);
        if (!element) return;
        modeler.get('selection').select(element);
        modeler.get('canvas').scrollToElement(element);
      },
      clearProblems() {
        for (const id of marked) modeler.get('canvas').removeMarker(id, 'gc-problem');
        overlays().remove({ type: 'gc-problem' });
        marked = [];
      },
      showProblems(problems) {
        this.clearProblems();
        const registry = modeler.get('elementRegistry');
        for (const problem of problems) {
          if (!problem.element_id || !registry.get(problem.element_id)) continue;
          modeler.get('canvas').addMarker(problem.element_id, 'gc-problem');
          marked.push(problem.element_id);
          overlays().add(problem.element_id, 'gc-problem', {
            position: { top: -12, right: 8 }, html: P.element('div', { className: 'gc-problem-badge', title: problem.message }, '!'),
          });
        }
      },
    };
  }

  async function checkExpression(expression, kind) {
    const answer = await P.api('POST', config.urls.check, { expression, kind });
    if (answer.ok) return answer.data;
    return { ok: false, message: P.said(answer.data), variables: [] };
  }

  async function previewDeadline(day, fromIso) {
    const query = '?day=' + encodeURIComponent(day) + (fromIso ? '&from=' + encodeURIComponent(fromIso) : '');
    const answer = await P.api('GET', config.urls.workingDayEnd + query);
    if (!answer.ok) throw new Error(P.said(answer.data));
    return answer.data.due;
  }

  /* ---- status, problems ------------------------------------------------------------------ */

  function status(text, kind) {
    const node = $('editor-status');
    node.textContent = text || '';
    node.className = kind ? 'status-' + kind : 'muted';
  }

  function showDraftState() {
    const draft = state.draft;
    let text = say('noDraft', { v: draft.latest_version });
    if (draft.is_draft) text = say('draftSaved', { who: draft.updated_by || '', at: (draft.updated_at || '').slice(0, 16).replace('T', ' ') });
    if (state.dirty) text += ' · ' + say('unsaved');
    $('draft-state').textContent = text;
    $('discard').disabled = state.busy || !draft.is_draft;
  }

  function markDirty() {
    if (state.dirty) return;
    state.dirty = true;
    if (state.draft) showDraftState();
  }

  function showProblems(title, problems, warnings) {
    const box = $('problems');
    const list = $('problem-list');
    list.replaceChildren();
    $('problems-title').textContent = title;
    const all = [...problems.map((p) => ({ ...p, level: 'error' })), ...(warnings || []).map((p) => ({ ...p, level: 'warning' }))];
    for (const problem of all) {
      const item = P.element('li', { className: 'problem ' + problem.level, testid: problem.level === 'error' ? 'problem' : 'warning' });
      if (problem.element_id) item.dataset.elementId = problem.element_id;
      if (problem.file) item.dataset.file = problem.file;
      const where = [problem.file, problem.line ? say('line', { n: problem.line }) : '', problem.element_id].filter(Boolean).join(' · ');
      const button = P.element('button', { type: 'button', className: 'problem-link' });
      if (where) button.appendChild(P.element('span', { className: 'where' }, where));
      button.appendChild(P.element('span', { className: 'message' }, problem.message));
      button.disabled = !problem.element_id;
      button.addEventListener('click', () => {
        showTab('diagram');
        if (diagram) diagram.select(problem.element_id);
      });
      item.appendChild(button);
      list.appendChild(item);
    }
    box.hidden = false;
    box.classList.toggle('has-errors', problems.length > 0);
    if (diagram) diagram.showProblems(problems.filter((p) => p.element_id));
  }

  function hideProblems() {
    $('problems').hidden = true;
    if (diagram) diagram.clearProblems();
  }

  /* a refusal without a list of problems (a bad file name, a file too big, not XML) */
  function refused(answer, what) {
    const problems = (answer.data && answer.data.problems) || [];
    const detail = P.said(answer.data) || String(answer.status);
    status(what + '：' + detail, 'error');
    showProblems(what, problems.length ? problems : [{ message: detail }], []);
  }

  /* ---- the toolbar ----------------------------------------------------------------------- */

  async function collect() {
    const files = { ...state.draft.files, [state.bpmnName]: await diagram.saveXML() };
    return {
      files: await tables.collect(files), forms: formsTab.collect(state.draft.forms),
      translations: state.draft.translations || {}, base_version: state.draft.base_version ?? null,
    };
  }

  async function put(body) {
    const answer = await P.api('PUT', config.urls.draft, body);
    if (answer.ok) {
      state.draft = answer.data;
      state.dirty = false;
      showDraftState();
    }
    return answer;
  }

  async function save() {
    const answer = await put(await collect());
    if (answer.status === 409) refused(answer, say('saveConflict'));
    else if (!answer.ok) refused(answer, say('saveRefused'));
    else status(say('saved'), 'ok');
    return answer.ok;
  }

  async function validate() {
    if (!(await save())) return false;
    const answer = await P.api('POST', config.urls.validate, {});
    if (!answer.ok) {
      refused(answer, say('validateFailed'));
      return false;
    }
    const { problems = [], warnings = [] } = answer.data;
    showProblems(problems.length ? say('problemsFound', { n: problems.length }) : say('noProblems'), problems, warnings);
    status(problems.length ? say('problemsFound', { n: problems.length }) : say('noProblems'), problems.length ? 'error' : 'ok');
    return problems.length === 0;
  }

  async function deploy() {
    if (!(await save())) return;
    const answer = await P.api('POST', config.urls.deploy, {});
    if (answer.status === 201 || answer.status === 200) {
      hideProblems();
      await load();
      status(say('deployed', { v: answer.data.version }), 'ok');
      const link = P.element('a', { href: config.urls.detail, testid: 'deployed-link' }, say('openDetail'));
      $('editor-status').append(' ', link);
    } else if (answer.status === 409) {
      refused(answer, say('deployConflict'));
    } else {
      refused(answer, say('deployRefused'));
    }
  }

  async function discard() {
    const answer = await P.api('DELETE', config.urls.draft);
    if (!answer.ok && answer.status !== 404) {
      refused(answer, say('discardRefused'));
      return;
    }
    hideProblems();
    state.dirty = false;
    const loaded = await load();
    status(loaded ? say('discarded') : say('discardedNew'), 'ok');
  }

  /* the in-page question before throwing the draft away (no browser dialog) */
  function askDiscard() {
    if ($('discard-confirm')) return;
    const box = P.element('span', { id: 'discard-confirm', className: 'confirm', testid: 'discard-confirm-box' }, say('discardAsk') + ' ');
    const yes = P.element('button', { type: 'button', className: 'btn small danger', testid: 'discard-confirm' }, say('discardYes'));
    const no = P.element('button', { type: 'button', className: 'btn small', testid: 'discard-cancel' }, say('cancel'));
    yes.addEventListener('click', () => { box.remove(); busy(discard); });
    no.addEventListener('click', () => box.remove());
    box.append(yes, ' ', no);
    $('discard').after(box);
  }

  /* ---- importing a .bpmn file ------------------------------------------------------------ */

  /* the file's text as its XML declaration says it is encoded (a GBK file stays readable) */
  function decode(bytes) {
    const head = new TextDecoder('latin1').decode(bytes.slice(0, 200));
    const declared = (head.match(/^\s*<\?xml[^>]*encoding\s*=\s*["']([A-Za-z0-9_.:-]+)["']/) || [])[1];
    const isUtf16 = bytes[0] === 0xff || bytes[0] === 0xfe;
    const encoding = isUtf16 ? 'utf-16' : (declared || 'utf-8');
    let text;
    try {
      text = new TextDecoder(encoding, { fatal: true }).decode(bytes);
    } catch (error) {
      throw new Error(say('notEncoded', { encoding }));
    }
    // the text is Unicode now: its declaration must not name the old encoding any more
    return text.replace(/^(\s*<\?xml[^>]*encoding\s*=\s*["'])[^"']*(["'])/, '$1UTF-8$2');
  }

  async function importFile(file) {
    const what = say('importRefused', { name: file.name });
    let text;
    try {
      text = decode(new Uint8Array(await file.arrayBuffer()));
    } catch (error) {
      status(what + '：' + error.message, 'error');
      showProblems(what, [{ file: file.name, message: error.message }], []);
      return;
    }
    const body = await collect();
    body.files[state.bpmnName] = text;
    const answer = await put(body);
    if (!answer.ok) {
      refused(answer, what);
      return;
    }
    const checked = await P.api('POST', config.urls.validate, {});
    const problems = checked.ok ? checked.data.problems || [] : [];
    try {
      await diagram.importXML(text);
      fitDiagram();
      state.dirty = false;  // what the modeler shows now is what was saved
    } catch (error) {
      problems.push({ file: file.name, message: say('notShown', { error: error.message }) });
    }
    if (!checked.ok) refused(checked, say('validateFailed'));
    else showProblems(problems.length ? say('importProblems', { name: file.name, n: problems.length }) : say('imported', { name: file.name }),
      problems, checked.data.warnings || []);
    status(problems.length ? say('importProblems', { name: file.name, n: problems.length }) : say('imported', { name: file.name }),
      problems.length ? 'error' : 'ok');
  }

  /* ---- tabs, loading, the page ----------------------------------------------------------- */

  function showTab(name) {
    for (const tab of document.querySelectorAll('.editor-tabs [role=tab]')) {
      const active = tab.dataset.tab === name;
      tab.classList.toggle('active', active);
      tab.setAttribute('aria-selected', active ? 'true' : 'false');
      $('panel-' + tab.dataset.tab).hidden = !active;
    }
    if (name === 'forms') formsTab.show();
    if (name === 'tables') tables.show();
  }

  function fitDiagram() {
    try { diagram.modeler.get('canvas').zoom('fit-viewport', 'auto'); } catch (error) { /* an empty diagram */ }
  }

  async function load() {
    const answer = await P.api('GET', config.urls.draft);
    if (!answer.ok) {
      state.draft = null;
      status(P.said(answer.data) || String(answer.status), 'error');
      $('draft-state').textContent = say('noProcess');
      return false;
    }
    state.draft = answer.data;
    const files = state.draft.files || {};
    if (!(state.bpmnName in files)) state.bpmnName = Object.keys(files).find((n) => n.endsWith('.bpmn')) || state.bpmnName;
    const xml = files[state.bpmnName];
    if (xml) {
      try {
        await diagram.importXML(xml);
        fitDiagram();
      } catch (error) {
        status(say('notShown', { error: error.message }), 'error');
      }
    }
    formsTab.load(state.draft.forms || {});
    tables.load(files);
    state.dirty = false;
    showDraftState();
    return true;
  }

  async function busy(action) {
    if (state.busy) return;
    state.busy = true;
    const buttons = ['save-draft', 'validate', 'deploy', 'discard'].map($);
    for (const b of buttons) b.disabled = true;
    status(say('working'));
    try {
      await action();
    } catch (error) {
      status(String(error.message || error), 'error');
    } finally {
      state.busy = false;
      for (const b of buttons) b.disabled = !state.draft;
      if (state.draft) showDraftState();
    }
  }

  const formsTab = window.GuichengFormsTab.create({ say, roles: config.roles, lang: config.lang, onChange: markDirty });
  const tables = window.GuichengDecisionsTab.create({ say, lang: config.lang, onChange: markDirty });

  // the what-if panel walks the saved draft: it saves the editor's unsaved changes first through this
  window.GuichengEditor = { save, get dirty() { return state.dirty; } };

  async function start() {
    const catalogue = await P.api('GET', config.urls.catalogue);
    diagram = await createDiagramEditor(catalogue.ok ? catalogue.data : {});
    window.guichengDiagram = diagram;  // for the browser console and automation: the modeler as bpmn-js offers it
    diagram.on('commandStack.changed', markDirty);
    await load();
    for (const b of ['save-draft', 'validate', 'deploy'].map($)) b.disabled = !state.draft;
    $('save-draft').addEventListener('click', () => busy(save));
    $('validate').addEventListener('click', () => busy(validate));
    $('deploy').addEventListener('click', () => busy(deploy));
    $('discard').addEventListener('click', askDiscard);
    $('import-bpmn').addEventListener('change', (event) => {
      const file = event.target.files[0];
      event.target.value = '';
      if (file) busy(() => importFile(file));
    });
    for (const tab of document.querySelectorAll('.editor-tabs [role=tab]')) tab.addEventListener('click', () => showTab(tab.dataset.tab));
    window.addEventListener('beforeunload', (event) => {
      if (!state.dirty) return;
      event.preventDefault();
      event.returnValue = '';
    });
    document.body.dataset.editorReady = 'true';
  }

  start().catch((error) => {
    status(String(error.message || error), 'error');
    document.body.dataset.editorReady = 'error';
  });
})();
