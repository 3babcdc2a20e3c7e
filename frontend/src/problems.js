/**
 * Deploy/validate problems on the diagram: a red marker and an overlay with
 * the message on each element the problem names; ids the diagram does not
 * have are ignored (the problem list beside the diagram still shows them).
 */
export const PROBLEM_CLASS = 'gm-problem';

export function problemMarkers(modeler) {
  const canvas = modeler.get('canvas');
  const overlays = modeler.get('overlays');
  const registry = modeler.get('elementRegistry');
  let marked = [];

  function clearProblems() {
    for (const id of marked) canvas.removeMarker(id, PROBLEM_CLASS);
    overlays.remove({ type: PROBLEM_CLASS });
    marked = [];
  }

  function showProblems(problems) {
    clearProblems();
    for (const problem of problems || []) {
      const element = problem && problem.element_id ? registry.get(problem.element_id) : null;
      if (!element) continue;
      if (!marked.includes(element.id)) {
        canvas.addMarker(element.id, PROBLEM_CLASS);
        marked.push(element.id);
      }
      const note = document.createElement('div');
      note.className = 'gm-problem-note';
      note.setAttribute('role', 'note');
      note.textContent = problem.message || '';
      overlays.add(element.id, PROBLEM_CLASS, { position: { bottom: -4, left: 0 }, html: note });
    }
  }

  function select(elementId) {
    const element = registry.get(elementId);
    if (!element) return false;
    modeler.get('selection').select(element);
    scrollIntoView(canvas, element);
    return true;
  }

  return { showProblems, clearProblems, select };
}

function scrollIntoView(canvas, element) {
  if (typeof canvas.scrollToElement === 'function') {
    canvas.scrollToElement(element, { top: 80, bottom: 80, left: 80, right: 80 });
  }
}
