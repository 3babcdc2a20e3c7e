/* The editor's 假设回放 / What-if panel: walks the last finished cases on the saved draft (the
 * what-if endpoint) and shows the summary and one row per case — its verdict, where it parts from
 * the original and why, and both paths. The page holds no rules: the server decides every verdict. */
(function () {
  'use strict';

  const P = window.GuichengPages;
  const config = P.config('editor-config');
  const say = P.labels(config);
  const $ = (id) => document.getElementById(id);
  const url = config.urls.draft + '/what-if';
  const PILLS = { same: 'completed', other_path: 'pending', failed: 'failed', stopped: '' };

  function named(difference) {
    if (!difference || !difference.element_id) return '—';
    const name = difference.name || difference.element_id;
    return name === difference.element_id ? name : `${name} (${difference.element_id})`;
  }

  function pathLine(label, path, testid, names) {
    const line = P.element('div', { className: 'what-if-path', testid });
    line.append(P.element('span', { className: 'muted' }, label + ': '));
    for (const element of path) {
      const tag = P.element('span', { className: 'tag' }, (names && names[element]) || element);
      tag.title = element;
      tag.dataset.element = element;
      line.append(tag);
    }
    if (!path.length) line.append(P.element('span', { className: 'muted' }, '—'));
    return line;
  }

  function caseRow(row) {
    const item = P.element('details', { className: 'card what-if-case', testid: 'what-if-case' });
    item.dataset.verdict = row.verdict;
    item.dataset.instance = String(row.instance_id);
    const head = P.element('summary');
    head.append(P.element('span', { className: 'pill ' + (PILLS[row.verdict] || ''), testid: 'what-if-verdict' },
      say('verdict.' + row.verdict)), ' ');
    head.append(P.element('a', { href: `/cases/${row.instance_id}` }, `${say('whatIfCase')} #${row.instance_id}`));
    if (row.business_key) head.append(' ', P.element('span', { className: 'muted' }, row.business_key));
    if (row.first_difference) {
      head.append(' · ', P.element('span', { testid: 'what-if-at' }, `${say('whatIfAt')}: ${named(row.first_difference)}`));
    }
    item.append(head);
    item.append(P.element('p', { testid: 'what-if-reason' }, `${say('whatIfReason')}: ${row.reason}`));
    item.append(pathLine(say('whatIfOriginal'), row.original_path || [], 'what-if-original-path', row.names));
    item.append(pathLine(say('whatIfDraft'), row.draft_path || [], 'what-if-draft-path', row.names));
    if (row.verdict !== 'same') item.open = true;
    return item;
  }

  function show(answer) {
    const results = $('what-if-results');
    results.replaceChildren();
    const cases = answer.cases || [];
    $('what-if-summary').textContent = cases.length ? say('whatIfSummary', answer.summary) : say('whatIfNone');
    for (const row of cases) results.append(caseRow(row));
  }

  function refused(answer) {
    const results = $('what-if-results');
    results.replaceChildren();
    $('what-if-summary').textContent = `${say('whatIfFailed')}: ${P.said(answer.data)}`;
    const list = P.element('ul', { className: 'problem-list', testid: 'what-if-problems' });
    for (const problem of (answer.data && answer.data.problems) || []) {
      const where = [problem.file, problem.line ? say('line', { n: problem.line }) : '', problem.element_id || '']
        .filter(Boolean).join(' · ');
      list.append(P.element('li', {}, `${where}: ${problem.message}`));
    }
    if (list.children.length) results.append(list);
  }

  async function run(event) {
    event.preventDefault();
    const button = $('what-if-form').querySelector('[type=submit]');
    button.disabled = true;
    $('what-if-summary').textContent = say('working');
    $('what-if-results').replaceChildren();
    try {
      const editor = window.GuichengEditor;
      if (editor && editor.dirty && !(await editor.save())) {
        $('what-if-summary').textContent = '';
        return;  // the editor says why the draft could not be saved
      }
      const answer = await P.api('POST', url, { cases: Number($('what-if-cases').value) });
      if (answer.ok) show(answer.data);
      else refused(answer);
    } finally {
      button.disabled = false;
      $('what-if-panel').dataset.state = 'done';
    }
  }

  function toggle(open) {
    $('what-if-panel').hidden = !open;
    $('what-if').setAttribute('aria-expanded', String(open));
    if (open) $('what-if-cases').focus();
  }

  $('what-if').addEventListener('click', () => toggle($('what-if-panel').hidden));
  $('what-if-close').addEventListener('click', () => toggle(false));
  $('what-if-form').addEventListener('submit', run);
})();
