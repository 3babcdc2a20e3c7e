/* The migration page: the running cases on other versions (the migration endpoint's preview), which
 * of them can move to the chosen version and why not; a process owner moves the selected ones or
 * all that can move, and sees which moved and which were refused. */
(function () {
  'use strict';

  const P = window.GuichengPages;
  const config = P.config('migration-config');
  const say = P.labels(config);
  const $ = (id) => document.getElementById(id);

  function caseLink(id, text) {
    return P.element('a', { href: config.casePage + id }, text || '#' + id);
  }

  function reasons(list) {
    return (list || []).map((r) => r.message + (r.element_id ? ' (' + r.element_id + ')' : '')).join('；');
  }

  function row(item) {
    const tr = P.element('tr', { testid: 'migration-row' });
    tr.dataset.instanceId = item.instance_id;
    tr.dataset.canMigrate = item.can_migrate ? 'true' : 'false';
    if (config.mayMigrate) {
      const cell = P.element('td');
      const box = P.element('input', { type: 'checkbox', testid: 'migration-check', 'aria-label': say('selectCase', { id: item.instance_id }) });
      box.value = item.instance_id;
      box.disabled = !item.can_migrate;
      box.addEventListener('change', update);
      cell.appendChild(box);
      tr.appendChild(cell);
    }
    const idCell = P.element('td');
    idCell.appendChild(caseLink(item.instance_id));
    tr.appendChild(idCell);
    tr.appendChild(P.element('td', {}, item.business_key || ''));
    tr.appendChild(P.element('td', {}, 'v' + item.version));
    const verdict = P.element('td', { className: item.can_migrate ? 'ok' : 'refused', testid: 'migration-verdict' },
      item.can_migrate ? say('canMove') : say('cannotMove', { why: reasons(item.reasons) }));
    tr.appendChild(verdict);
    return tr;
  }

  function checks() {
    return [...document.querySelectorAll('[data-testid=migration-check]')];
  }

  function update() {
    if (!config.mayMigrate) return;
    const boxes = checks();
    $('migrate-selected').disabled = !boxes.some((b) => b.checked);
    $('migrate-all').disabled = !boxes.some((b) => !b.disabled);
  }

  async function preview() {
    const body = $('migration-rows');
    const answer = await P.api('GET', config.preview);
    body.replaceChildren();
    const columns = config.mayMigrate ? 5 : 4;
    if (!answer.ok) {
      const cell = P.element('td', { colspan: columns, className: 'refused', testid: 'migration-error' }, P.said(answer.data) || String(answer.status));
      body.appendChild(P.element('tr', {})).appendChild(cell);
      return;
    }
    for (const item of answer.data.cases || []) body.appendChild(row(item));
    if (!body.children.length) {
      body.appendChild(P.element('tr', {})).appendChild(P.element('td', { colspan: columns, className: 'muted', testid: 'migration-empty' }, say('noCases', { v: config.to })));
    }
    update();
  }

  function showResult(result) {
    const box = $('migration-result');
    box.replaceChildren(P.element('h2', {}, say('migrationDone', { moved: result.migrated.length, refused: result.refused.length })));
    const list = P.element('ul', { className: 'diff-list' });
    for (const id of result.migrated) {
      const item = P.element('li', { className: 'diff-item added', testid: 'migrated' });
      item.dataset.instanceId = id;
      item.append(caseLink(id), ' ', say('moved', { v: config.to }));
      list.appendChild(item);
    }
    for (const refusal of result.refused) {
      const item = P.element('li', { className: 'diff-item removed', testid: 'migration-refused' });
      item.dataset.instanceId = refusal.instance_id;
      item.append(caseLink(refusal.instance_id), ' ', say('notMoved', { why: reasons(refusal.reasons) }));
      list.appendChild(item);
    }
    box.appendChild(list);
    box.hidden = false;
  }

  async function migrate(ids) {
    $('migrate-selected').disabled = true;
    $('migrate-all').disabled = true;
    $('migration-status').textContent = say('working');
    const answer = await P.api('POST', config.migrate, { to: config.to, instance_ids: ids });
    $('migration-status').textContent = answer.ok ? '' : P.said(answer.data) || String(answer.status);
    if (answer.ok) showResult(answer.data);
    await preview();
  }

  if (config.mayMigrate) {
    $('select-all').addEventListener('change', (event) => {
      for (const box of checks()) if (!box.disabled) box.checked = event.target.checked;
      update();
    });
    $('migrate-selected').addEventListener('click', () => migrate(checks().filter((b) => b.checked).map((b) => Number(b.value))));
    $('migrate-all').addEventListener('click', () => migrate('all'));
  }
  preview().then(() => { document.body.dataset.migrationReady = 'true'; });
})();
