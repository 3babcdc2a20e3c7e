/* A new process from the template: the drafts endpoint creates it, the editor opens it. */
(function () {
  'use strict';

  const form = document.getElementById('new-process');
  if (!form) return;
  const { api, said } = window.GuichengPages;
  const error = form.querySelector('.error-summary');

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const button = form.querySelector('button[type=submit]');
    button.disabled = true;
    error.hidden = true;
    const processId = form.elements.process_id.value.trim();
    const answer = await api('POST', form.dataset.url, {
      process_id: processId, name: form.elements.name.value.trim(), template: form.elements.template.value,
      role: form.elements.role.value,
    });
    button.disabled = false;
    if (answer.ok) {
      window.location.href = form.dataset.edit.replace('__id__', encodeURIComponent(processId));
      return;
    }
    error.textContent = said(answer.data) || String(answer.status);
    error.hidden = false;
  });
})();
