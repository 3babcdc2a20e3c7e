/**
 * The browser modeler of the process editor, loaded as the global
 * `GuichengModeler`: a bpmn-js Modeler with a properties panel for the
 * spiffworkflow extensions the server reads, a read-only viewer for diffs and
 * older versions, and a DMN decision editor (the vendored dmn-js modeler).
 * Nothing here talks to the server itself: the page passes the catalogue and
 * the expression checker in.
 */
import Modeler from 'bpmn-js/lib/Modeler';
import NavigatedViewer from 'bpmn-js/lib/NavigatedViewer';
import { BpmnPropertiesPanelModule, BpmnPropertiesProviderModule } from 'bpmn-js-properties-panel';
import spiffworkflow from './spiffworkflow.json';
import { translateModule } from './i18n/translate.js';
import { propertiesModule } from './properties/provider.js';
import { problemMarkers } from './problems.js';
import stableDiOrdering from './di-ordering.js';

const moddleExtensions = { spiffworkflow };

async function importAndFit(diagram, xml) {
  const result = await diagram.importXML(xml);
  diagram.get('canvas').zoom('fit-viewport', 'auto');
  return result;
}

export function createModeler({ container, propertiesParent, lang = 'zh', catalogue, checkExpression, previewDeadline }) {
  const modeler = new Modeler({
    container,
    propertiesPanel: propertiesParent ? { parent: propertiesParent } : undefined,
    additionalModules: [
      translateModule(lang),
      stableDiOrdering,
      BpmnPropertiesPanelModule,
      BpmnPropertiesProviderModule,
      propertiesModule({ catalogue, checkExpression, previewDeadline }),
    ],
    moddleExtensions,
  });
  const problems = problemMarkers(modeler);
  return {
    modeler,
    importXML: (xml) => importAndFit(modeler, xml),
    saveXML: async () => (await modeler.saveXML({ format: true })).xml,
    showProblems: problems.showProblems,
    clearProblems: problems.clearProblems,
    select: problems.select,
    on: (event, fn) => modeler.on(event, fn),
  };
}

export function createViewer({ container, lang = 'zh' }) {
  const viewer = new NavigatedViewer({ container, additionalModules: [translateModule(lang)], moddleExtensions });
  return {
    viewer,
    importXML: (xml) => importAndFit(viewer, xml),
    /** Add `className` as a marker to each element id the diagram has; returns the ids coloured. */
    colour(elementIds, className) {
      const registry = viewer.get('elementRegistry');
      const canvas = viewer.get('canvas');
      const found = (elementIds || []).filter((id) => registry.get(id));
      for (const id of found) canvas.addMarker(id, className);
      return found;
    },
  };
}

/** Opens the first decision table (the DRD is one click away in dmn-js's tabs), else dmn-js's default view. */
async function importAndOpenTable(editor, xml) {
  const result = await editor.importXML(xml);
  const table = editor.getViews().find((view) => view.type === 'decisionTable');
  if (table) await editor.open(table);
  return result;
}

/** Needs the vendored dmn-js modeler (global DmnJS) loaded before this call. */
export function createDecisionEditor({ container, lang = 'zh' }) {
  const DmnJS = globalThis.DmnJS;
  if (typeof DmnJS !== 'function') {
    throw new Error('GuichengModeler.createDecisionEditor needs vendor/dmn-js/dmn-modeler.production.min.js loaded first');
  }
  const editor = new DmnJS({ container, common: { additionalModules: [translateModule(lang)] } });
  return {
    editor,
    importXML: (xml) => importAndOpenTable(editor, xml),
    saveXML: async () => (await editor.saveXML({ format: true })).xml,
  };
}
