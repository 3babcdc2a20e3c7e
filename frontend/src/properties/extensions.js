/**
 * Reading and writing the spiffworkflow extension elements the server reads
 * (service/engine/definitions.py). Every change goes through the command
 * stack as one multi-command, so undo/redo and `commandStack.changed` work.
 */
import { getBusinessObject, is } from 'bpmn-js/lib/util/ModelUtil';

const UPDATE = 'element.updateModdleProperties';

export function extensionOf(element, type) {
  const ext = getBusinessObject(element).get('extensionElements');
  return ext ? (ext.get('values') || []).find((value) => is(value, type)) : undefined;
}

export function getProperty(element, name) {
  const props = extensionOf(element, 'spiffworkflow:Properties');
  const found = props && props.get('properties').find((p) => p.get('name') === name);
  return found ? found.get('value') || '' : '';
}

/** Commands that make sure `element` has an extension of `type`; returns [ext, commands]. */
export function ensureExtension(element, type, bpmnFactory, attrs = {}) {
  const bo = getBusinessObject(element);
  const commands = [];
  let ext = bo.get('extensionElements');
  if (!ext) {
    ext = bpmnFactory.create('bpmn:ExtensionElements', { values: [] });
    ext.$parent = bo;
    commands.push({ cmd: UPDATE, context: { element, moddleElement: bo, properties: { extensionElements: ext } } });
  }
  let found = (ext.get('values') || []).find((value) => is(value, type));
  if (!found) {
    found = bpmnFactory.create(type, attrs);
    found.$parent = ext;
    commands.push({ cmd: UPDATE, context: { element, moddleElement: ext, properties: { values: [...ext.get('values'), found] } } });
  }
  return [found, commands];
}

export function run(commandStack, commands) {
  if (commands.length) commandStack.execute('properties-panel.multi-command-executor', commands);
}

/** Set (or with an empty value remove) one spiffworkflow:property. */
export function setProperty(element, name, value, { bpmnFactory, commandStack }) {
  const text = (value || '').trim();
  const existing = extensionOf(element, 'spiffworkflow:Properties');
  if (!text && !existing) return;
  const [props, commands] = ensureExtension(element, 'spiffworkflow:Properties', bpmnFactory, { properties: [] });
  const list = props.get('properties');
  const prop = list.find((p) => p.get('name') === name);
  if (!text) {
    if (prop) commands.push({ cmd: UPDATE, context: { element, moddleElement: props, properties: { properties: list.filter((p) => p !== prop) } } });
  } else if (prop) {
    commands.push({ cmd: UPDATE, context: { element, moddleElement: prop, properties: { value: text } } });
  } else {
    const created = bpmnFactory.create('spiffworkflow:Property', { name, value: text });
    created.$parent = props;
    commands.push({ cmd: UPDATE, context: { element, moddleElement: props, properties: { properties: [...list, created] } } });
  }
  run(commandStack, commands);
}

/** A body-text extension such as spiffworkflow:calledDecisionId. */
export function getBodyExtension(element, type) {
  const found = extensionOf(element, type);
  return found ? found.get('value') || '' : '';
}

/** Set a body-text extension; an empty value removes it. */
export function setBodyExtension(element, type, value, { bpmnFactory, commandStack }) {
  const text = (value || '').trim();
  const existing = extensionOf(element, type);
  if (!text) {
    if (!existing) return;
    const ext = existing.$parent;
    run(commandStack, [{ cmd: UPDATE, context: { element, moddleElement: ext,
      properties: { values: ext.get('values').filter((v) => v !== existing) } } }]);
    return;
  }
  const [found, commands] = ensureExtension(element, type, bpmnFactory, { value: text });
  if (!commands.length) commands.push({ cmd: UPDATE, context: { element, moddleElement: found, properties: { value: text } } });
  run(commandStack, commands);
}

export function listProperty(element, name) {
  return getProperty(element, name).split(',').map((s) => s.trim()).filter(Boolean);
}
