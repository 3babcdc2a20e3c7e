/**
 * Groups for when the case moves on: a gateway flow's condition and a timer
 * event's type and expression, with a helper that fills the expression from a
 * working-day deadline variable or from a number and a unit.
 */
import { isSelectEntryEdited, isTextFieldEntryEdited, SelectEntry } from '@bpmn-io/properties-panel';
import { useService } from 'bpmn-js-properties-panel';
import { useEffect, useState } from '@bpmn-io/properties-panel/preact/hooks';
import { getBusinessObject, is } from 'bpmn-js/lib/util/ModelUtil';
import { CatalogueSelect, CheckedExpression, useSettings } from './fields.jsx';

const TIMER_TYPES = [['timeDate', 'Date (timeDate)'], ['timeDuration', 'Duration (timeDuration)'], ['timeCycle', 'Cycle (timeCycle)']];
const UNITS = [['M', 'Minutes', true], ['H', 'Hours', true], ['D', 'Days', false], ['W', 'Weeks', false]];

function Condition({ element, id }) {
  const translate = useService('translate');
  const modeling = useService('modeling');
  const bpmnFactory = useService('bpmnFactory');
  const bo = getBusinessObject(element);
  const getValue = () => { const c = bo.get('conditionExpression'); return (c && c.get('body')) || ''; };
  const setValue = (value) => {
    const text = (value || '').trim();
    const expression = text ? bpmnFactory.create('bpmn:FormalExpression', { body: text }) : undefined;
    modeling.updateProperties(element, { conditionExpression: expression });
  };
  return <CheckedExpression id={id} element={element} kind="condition" label={translate('Condition expression')}
    getValue={getValue} setValue={setValue} />;
}

export function isGatewayFlow(element) {
  const source = getBusinessObject(element).get('sourceRef');
  return is(element, 'bpmn:SequenceFlow') && source && is(source, 'bpmn:Gateway')
    && !is(source, 'bpmn:ParallelGateway') && !is(source, 'bpmn:EventBasedGateway');
}

export function conditionGroup(element, translate) {
  return { id: 'gm-condition', label: translate('Condition'),
    entries: [{ id: 'gm-condition-expression', component: Condition, element, isEdited: isTextFieldEntryEdited }] };
}

export function timerOf(element) {
  return (getBusinessObject(element).get('eventDefinitions') || []).find((d) => is(d, 'bpmn:TimerEventDefinition'));
}

function currentType(timer) {
  return (TIMER_TYPES.find(([type]) => timer.get(type)) || ['timeDate'])[0];
}

/** Write `body` as the timer's expression of `type`, clearing the other two. */
function useTimerWriter(element) {
  const modeling = useService('modeling');
  const bpmnFactory = useService('bpmnFactory');
  return (type, body) => {
    const timer = timerOf(element);
    const properties = Object.fromEntries(TIMER_TYPES.map(([t]) => [t, undefined]));
    properties[type] = bpmnFactory.create('bpmn:FormalExpression', { body });
    modeling.updateModdleProperties(element, timer, properties);
  };
}

function expressionOf(timer) {
  const expression = timer.get(currentType(timer));
  return (expression && expression.get('body')) || '';
}

function TimerType({ element, id }) {
  const translate = useService('translate');
  const write = useTimerWriter(element);
  return <SelectEntry id={id} element={element} label={translate('Timer type')}
    getValue={() => currentType(timerOf(element))}
    setValue={(type) => write(type, expressionOf(timerOf(element)))}
    getOptions={() => TIMER_TYPES.map(([value, label]) => ({ value, label: translate(label) }))} />;
}

function TimerExpression({ element, id }) {
  const translate = useService('translate');
  const write = useTimerWriter(element);
  return <CheckedExpression id={id} element={element} kind="timer" label={translate('Timer expression')}
    getValue={() => expressionOf(timerOf(element))}
    setValue={(value) => write(currentType(timerOf(element)), (value || '').trim())} />;
}

function DeadlineVariable({ element, id }) {
  const translate = useService('translate');
  const { catalogue } = useSettings();
  const write = useTimerWriter(element);
  const timer = timerOf(element);
  return <CatalogueSelect id={id} element={element} label={translate('Use a deadline variable')}
    getValue={() => (currentType(timer) === 'timeDate' ? expressionOf(timer) : '')}
    setValue={(name) => write('timeDate', name)}
    options={() => (catalogue.deadline_variables || []).map((v) => ({ value: v.name, label: `${v.name} (${v.operation}, ${v.element_id})` }))} />;
}

/** ISO 8601 duration for `amount` of `unit` (M/H are time parts, D/W date parts). */
export function isoDuration(amount, unit) {
  const timePart = UNITS.find(([u]) => u === unit)[2];
  return timePart ? `PT${amount}${unit}` : `P${amount}${unit}`;
}

function DurationBuilder({ element, id }) {
  const translate = useService('translate');
  const { previewDeadline } = useSettings();
  const write = useTimerWriter(element);
  const [amount, setAmount] = useState('1');
  const [unit, setUnit] = useState('D');
  const [preview, setPreview] = useState(null);
  const valid = /^[1-9][0-9]{0,3}$/.test(amount);
  useEffect(() => {
    let current = true;
    setPreview(null);
    if (previewDeadline && valid && unit === 'D') {
      Promise.resolve(previewDeadline(Number(amount), new Date().toISOString())).then(
        (due) => { if (current && due) setPreview(translate('Preview: due {due}', { due })); }, () => {});
    }
    return () => { current = false; };
  }, [amount, unit, previewDeadline]);
  return <div class="bio-properties-panel-entry gm-duration" data-entry-id={id}>
    <label class="bio-properties-panel-label" for={`${id}-amount`}>{translate('Working-day deadline')}</label>
    <div class="gm-duration-row">
      <input id={`${id}-amount`} name="amount" type="number" min="1" class="bio-properties-panel-input"
        aria-label={translate('Duration number')} value={amount} onInput={(e) => setAmount(e.target.value)} />
      <select name="unit" class="bio-properties-panel-input" aria-label={translate('Duration unit')} value={unit}
        onChange={(e) => setUnit(e.target.value)}>
        {UNITS.map(([value, label]) => <option value={value}>{translate(label)}</option>)}
      </select>
      <button type="button" class="gm-duration-apply" disabled={!valid}
        onClick={() => write('timeDuration', `"${isoDuration(amount, unit)}"`)}>{translate('Set as duration')}</button>
    </div>
    {preview && <div class="bio-properties-panel-description gm-preview">{preview}</div>}
  </div>;
}

export function timerGroup(element, translate) {
  return { id: 'gm-timer', label: translate('Timer'), entries: [
    { id: 'gm-timer-type', component: TimerType, element, isEdited: isSelectEntryEdited },
    { id: 'gm-timer-expression', component: TimerExpression, element, isEdited: isTextFieldEntryEdited },
    { id: 'gm-timer-deadline', component: DeadlineVariable, element, isEdited: isSelectEntryEdited },
    { id: 'gm-timer-duration', component: DurationBuilder, element, isEdited: () => false },
  ] };
}
