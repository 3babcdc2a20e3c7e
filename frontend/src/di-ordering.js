/**
 * Saving keeps the order of the diagram's shapes and edges as the file had
 * them. The stock modeler rewrites that order from its drawing order on every
 * save (lanes come out reversed), which turns an unchanged procedure into a
 * noisy diff. Order only matters so that a container is drawn before what it
 * contains: the file's order is kept (new elements appended in drawing order)
 * whenever it honours that, else the drawing order is used as before.
 */
import { getDi } from 'bpmn-js/lib/util/ModelUtil';
import { selfAndAllChildren } from 'diagram-js/lib/util/Elements';

const HIGH_PRIORITY = 2000;

function containersFirst(order, elementOf, root) {
  const seen = new Set();
  for (const di of order) {
    const parent = elementOf.get(di).parent;
    if (parent && parent !== root && elementOf.has(getDi(parent)) && !seen.has(getDi(parent))) return false;
    seen.add(di);
  }
  return true;
}

function orderOf(root) {
  const rootDi = getDi(root);
  const elements = selfAndAllChildren([root], false).filter((e) => e !== root && !e.labelTarget);
  const drawn = elements.map(getDi);
  const elementOf = new Map(elements.map((e) => [getDi(e), e]));
  const kept = (rootDi.get('planeElement') || []).filter((di) => elementOf.has(di));
  const keptSet = new Set(kept);
  const stable = [...kept, ...drawn.filter((di) => !keptSet.has(di))];
  return [rootDi, containersFirst(stable, elementOf, root) ? stable : drawn];
}

function StableDiOrdering(eventBus, canvas) {
  eventBus.on('saveXML.start', HIGH_PRIORITY, () => {
    for (const root of canvas.getRootElements()) {
      const rootDi = getDi(root);
      if (!rootDi) continue;
      const [plane, order] = orderOf(root);
      plane.set('planeElement', order);
    }
  });
}
StableDiOrdering.$inject = ['eventBus', 'canvas'];

export default {
  __init__: ['bpmnDiOrdering'],
  bpmnDiOrdering: ['type', StableDiOrdering],
};
