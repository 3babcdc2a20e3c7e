/**
 * Groups for automatic work: a service task's operation with its parameters
 * and result variable, a business-rule task's decision, a call activity's
 * called process.
 */
import { isSelectEntryEdited, isTextFieldEntryEdited } from '@bpmn-io/properties-panel';
import { useService } from 'bpmn-js-properties-panel';
import { getBusinessObject } from 'bpmn-js/lib/util/ModelUtil';
import { CatalogueSelect, CheckedExpression, PlainText, useSettings } from './fields.jsx';
import { ensureExtension, extensionOf, getBodyExtension, run, setBodyExtension } from './extensions.js';

const UPDATE = 'element.updateModdleProperties';
const OPERATOR = 'spiffworkflow:ServiceTaskOperator';

function parametersOf(element) {
  const operator = extensionOf(element, OPERATOR);
  const list = operator && operator.get('parameters');
  return list ? list.get('parameters') : [];
}

/** Commands making sure the operator and its parameters list exist: [operator, list, commands]. */
function ensureOperator(element, bpmnFactory) {
  const [operator, commands] = ensureExtension(element, OPERATOR, bpmnFactory);
  let list = operator.get('parameters');
  if (!list) {
    list = bpmnFactory.create('spiffworkflow:Parameters', { parameters: [] });
    list.$parent = operator;
    commands.push({ cmd: UPDATE, context: { element, moddleElement: operator, properties: { parameters: list } } });
  }
  return [operator, list, commands];
}

function useOperatorCommands(element) {
  const bpmnFactory = useService('bpmnFactory');
  const commandStack = useService('commandStack');
  return { bpmnFactory, commandStack, ensure: () => ensureOperator(element, bpmnFactory) };
}

function Operation({ element, id }) {
  const translate = useService('translate');
  const { catalogue } = useSettings();
  const { commandStack, ensure } = useOperatorCommands(element);
  const operations = catalogue.operations || [];
  const getValue = () => { const op = extensionOf(element, OPERATOR); return (op && op.get('id')) || ''; };
  const setValue = (name) => {
    const [operator, list, commands] = ensure();
    const wanted = operations.find((o) => o.name === name);
    const keep = wanted ? [...wanted.required, ...wanted.optional] : null;
    commands.push({ cmd: UPDATE, context: { element, moddleElement: operator, properties: { id: name || undefined } } });
    if (keep) {
      const kept = list.get('parameters').filter((p) => keep.includes(p.get('id')));
      commands.push({ cmd: UPDATE, context: { element, moddleElement: list, properties: { parameters: kept } } });
    }
    run(commandStack, commands);
  };
  return <CatalogueSelect id={id} element={element} label={translate('Operation')} getValue={getValue} setValue={setValue}
    options={() => operations.map((o) => ({ value: o.name, label: o.description ? `${o.name}: ${o.description}` : o.name }))} />;
}

function Parameter({ element, id, name, required }) {
  const translate = useService('translate');
  const { commandStack, bpmnFactory, ensure } = useOperatorCommands(element);
  const getValue = () => { const p = parametersOf(element).find((x) => x.get('id') === name); return p ? p.get('value') || '' : ''; };
  const setValue = (value) => {
    const text = (value || '').trim();
    const [, list, commands] = ensure();
    const params = list.get('parameters');
    const found = params.find((p) => p.get('id') === name);
    if (!text) {
      if (found) commands.push({ cmd: UPDATE, context: { element, moddleElement: list, properties: { parameters: params.filter((p) => p !== found) } } });
    } else if (found) {
      commands.push({ cmd: UPDATE, context: { element, moddleElement: found, properties: { value: text } } });
    } else {
      const created = bpmnFactory.create('spiffworkflow:Parameter', { id: name, type: 'any', value: text });
      created.$parent = list;
      commands.push({ cmd: UPDATE, context: { element, moddleElement: list, properties: { parameters: [...params, created] } } });
    }
    run(commandStack, commands);
  };
  const label = `${name} (${translate(required ? 'required' : 'optional')})`;
  return <CheckedExpression id={id} element={element} kind="condition" label={label} getValue={getValue} setValue={setValue} />;
}

function ResultVariable({ element, id }) {
  const translate = useService('translate');
  const { commandStack, ensure } = useOperatorCommands(element);
  const getValue = () => { const op = extensionOf(element, OPERATOR); return (op && op.get('resultVariable')) || ''; };
  const setValue = (value) => {
    const [operator, , commands] = ensure();
    commands.push({ cmd: UPDATE, context: { element, moddleElement: operator, properties: { resultVariable: (value || '').trim() || undefined } } });
    run(commandStack, commands);
  };
  return <PlainText id={id} element={element} label={translate('Result variable')} getValue={getValue} setValue={setValue} />;
}

export function serviceTaskGroup(element, translate, catalogue) {
  const operator = extensionOf(element, OPERATOR);
  const chosen = (catalogue.operations || []).find((o) => operator && o.name === operator.get('id'));
  const names = chosen ? [...chosen.required.map((n) => [n, true]), ...chosen.optional.map((n) => [n, false])] : [];
  for (const p of parametersOf(element)) {
    if (!names.some(([n]) => n === p.get('id'))) names.push([p.get('id'), false]);
  }
  return { id: 'gm-service', label: translate('Operation'), entries: [
    { id: 'gm-operation', component: Operation, element, isEdited: isSelectEntryEdited },
    ...names.map(([name, required]) => ({ id: `gm-parameter-${name}`, component: Parameter, element, name, required,
      isEdited: isTextFieldEntryEdited })),
    { id: 'gm-result-variable', component: ResultVariable, element, isEdited: isTextFieldEntryEdited },
  ] };
}

function Decision({ element, id }) {
  const translate = useService('translate');
  const bpmnFactory = useService('bpmnFactory');
  const commandStack = useService('commandStack');
  const { catalogue } = useSettings();
  const type = 'spiffworkflow:CalledDecisionId';
  return <CatalogueSelect id={id} element={element} label={translate('Called decision')}
    getValue={() => getBodyExtension(element, type)}
    setValue={(value) => setBodyExtension(element, type, value, { bpmnFactory, commandStack })}
    options={() => (catalogue.decisions || []).map((d) => ({ value: d.id, label: `${d.name || d.id} (${d.file})` }))} />;
}

export function decisionGroup(element, translate) {
  return { id: 'gm-decision', label: translate('Decision'),
    entries: [{ id: 'gm-called-decision', component: Decision, element, isEdited: isSelectEntryEdited }] };
}

function CalledProcess({ element, id }) {
  const translate = useService('translate');
  const modeling = useService('modeling');
  const { catalogue } = useSettings();
  return <CatalogueSelect id={id} element={element} label={translate('Called process')}
    getValue={() => getBusinessObject(element).get('calledElement') || ''}
    setValue={(value) => modeling.updateProperties(element, { calledElement: value || undefined })}
    options={() => (catalogue.processes || []).map((p) => ({ value: p.process_id, label: `${p.name} (${p.process_id}, v${p.version})` }))} />;
}

export function callActivityGroup(element, translate) {
  return { id: 'gm-call', label: translate('Called process'),
    entries: [{ id: 'gm-called-element', component: CalledProcess, element, isEdited: isSelectEntryEdited }] };
}
