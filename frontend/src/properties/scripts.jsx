/**
 * Groups for the Python the engine runs: a script task's script and any
 * task's preScript (when it becomes ready) and postScript (when it
 * completes), each checked by the server's evaluator as you type.
 */
import { isTextAreaEntryEdited } from '@bpmn-io/properties-panel';
import { useService } from 'bpmn-js-properties-panel';
import { getBusinessObject, is } from 'bpmn-js/lib/util/ModelUtil';
import { CheckedExpression } from './fields.jsx';
import { getBodyExtension, setBodyExtension } from './extensions.js';

function Script({ element, id }) {
  const translate = useService('translate');
  const modeling = useService('modeling');
  const bo = getBusinessObject(element);
  const setValue = (value) => {
    const text = (value || '').trim();
    modeling.updateProperties(element, { script: text || undefined, scriptFormat: bo.get('scriptFormat') || 'python' });
  };
  return <CheckedExpression id={id} element={element} kind="script" multiline label={translate('Script')}
    getValue={() => bo.get('script') || ''} setValue={setValue} />;
}

function TaskScript({ element, id, type, label }) {
  const translate = useService('translate');
  const bpmnFactory = useService('bpmnFactory');
  const commandStack = useService('commandStack');
  return <CheckedExpression id={id} element={element} kind="script" multiline label={translate(label)}
    getValue={() => getBodyExtension(element, type)}
    setValue={(value) => setBodyExtension(element, type, value, { bpmnFactory, commandStack })} />;
}

export function scriptGroup(element, translate) {
  if (!is(element, 'bpmn:Task')) return null;
  const entries = [];
  if (is(element, 'bpmn:ScriptTask')) {
    entries.push({ id: 'gm-script', component: Script, element, isEdited: isTextAreaEntryEdited });
  }
  entries.push(
    { id: 'gm-pre-script', component: TaskScript, element, type: 'spiffworkflow:PreScript',
      label: 'Before the task (preScript)', isEdited: isTextAreaEntryEdited },
    { id: 'gm-post-script', component: TaskScript, element, type: 'spiffworkflow:PostScript',
      label: 'After the task (postScript)', isEdited: isTextAreaEntryEdited });
  return { id: 'gm-scripts', label: translate('Scripts'), entries };
}
