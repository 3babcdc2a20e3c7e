/**
 * Groups for who does what: the lane's role, a user task's form, due time,
 * assignment rule and printables, a start event's form and starting roles.
 */
import { CheckboxEntry, isSelectEntryEdited, isTextFieldEntryEdited } from '@bpmn-io/properties-panel';
import { useService } from 'bpmn-js-properties-panel';
import { getBusinessObject } from 'bpmn-js/lib/util/ModelUtil';
import { CatalogueSelect, CheckedExpression, PlainText, useSettings } from './fields.jsx';
import { getProperty, listProperty, setProperty } from './extensions.js';

const PRINTABLES = [['service_sheet', 'Service sheet'], ['weekly_report', 'Weekly report']];

function usePropertyAccess(element, name) {
  const bpmnFactory = useService('bpmnFactory');
  const commandStack = useService('commandStack');
  return {
    getValue: () => getProperty(element, name),
    setValue: (value) => setProperty(element, name, value, { bpmnFactory, commandStack }),
  };
}

function LaneRole({ element, id }) {
  const translate = useService('translate');
  const modeling = useService('modeling');
  const { catalogue } = useSettings();
  const roles = catalogue.roles || [];
  const getValue = () => {
    const name = getBusinessObject(element).get('name') || '';
    const role = roles.find((r) => r.name === name || r.id === name);
    return role ? role.id : name;
  };
  const setValue = (roleId) => {
    const role = roles.find((r) => r.id === roleId);
    modeling.updateProperties(element, { name: role ? role.name : roleId || undefined });
  };
  return <CatalogueSelect id={id} element={element} label={translate('Lane role')}
    description={translate('The lane name is the role that does the tasks in this lane.')}
    getValue={getValue} setValue={setValue}
    options={() => roles.map((r) => ({ value: r.id, label: `${r.name} (${r.id})` }))} />;
}

function FormSelect({ element, id }) {
  const translate = useService('translate');
  const { catalogue } = useSettings();
  const access = usePropertyAccess(element, 'formKey');
  return <CatalogueSelect id={id} element={element} label={translate('Form')} {...access}
    options={() => (catalogue.forms || []).map((key) => ({ value: key, label: key }))} />;
}

function FormKey({ element, id }) {
  const translate = useService('translate');
  return <PlainText id={id} element={element} label={translate('Form (new key)')}
    description={translate('Type a key to start a new form.')} {...usePropertyAccess(element, 'formKey')} />;
}

function DueSelect({ element, id }) {
  const translate = useService('translate');
  const { catalogue } = useSettings();
  return <CatalogueSelect id={id} element={element} label={translate('Due-time variable')}
    {...usePropertyAccess(element, 'dueAt')}
    options={() => (catalogue.deadline_variables || []).map((v) => ({
      value: v.name, label: `${v.name} (${v.operation}, ${v.element_id})` }))} />;
}

function DueText({ element, id }) {
  const translate = useService('translate');
  return <PlainText id={id} element={element} label={translate('Due-time variable (free text)')}
    {...usePropertyAccess(element, 'dueAt')} />;
}

function Assignee({ element, id }) {
  const translate = useService('translate');
  return <CheckedExpression id={id} element={element} kind="assignee" label={translate('Assignment rule')}
    description={translate('An expression naming the person, e.g. started_by or engineer.')}
    {...usePropertyAccess(element, 'assignee')} />;
}

/** One checkbox per member of a comma-list property (printables, startRoles). */
function ListCheckbox({ element, id, property, member, label, order }) {
  const access = usePropertyAccess(element, property);
  const getValue = () => listProperty(element, property).includes(member);
  const setValue = (checked) => {
    const now = listProperty(element, property).filter((m) => m !== member);
    const next = checked ? [...now, member] : now;
    const ranked = order ? order.filter((m) => next.includes(m)).concat(next.filter((m) => !order.includes(m))) : next;
    access.setValue(ranked.join(','));
  };
  return <CheckboxEntry id={id} element={element} label={label} getValue={getValue} setValue={setValue} />;
}

function printableEntries(element, translate) {
  const order = PRINTABLES.map(([name]) => name);
  return PRINTABLES.map(([name, label]) => ({
    id: `gm-printable-${name}`, component: ListCheckbox, element, property: 'printables', member: name,
    label: `${translate('Printables')}: ${translate(label)}`, order,
    isEdited: () => listProperty(element, 'printables').includes(name),
  }));
}

function startRoleEntries(element, translate, roles) {
  return roles.map((role) => ({
    id: `gm-start-role-${role.id}`, component: ListCheckbox, element, property: 'startRoles', member: role.id,
    label: `${translate('Roles that may start')}: ${role.name}`,
    isEdited: () => listProperty(element, 'startRoles').includes(role.id),
  }));
}

function formEntries(element) {
  return [
    { id: 'gm-form', component: FormSelect, element, isEdited: isSelectEntryEdited },
    { id: 'gm-form-key', component: FormKey, element, isEdited: isTextFieldEntryEdited },
  ];
}

export function laneGroup(element, translate) {
  return { id: 'gm-lane', label: translate('Role'),
    entries: [{ id: 'gm-lane-role', component: LaneRole, element, isEdited: isSelectEntryEdited }] };
}

export function userTaskGroup(element, translate) {
  return { id: 'gm-user-task', label: translate('Task'), entries: [
    ...formEntries(element),
    { id: 'gm-due', component: DueSelect, element, isEdited: isSelectEntryEdited },
    { id: 'gm-due-text', component: DueText, element, isEdited: isTextFieldEntryEdited },
    { id: 'gm-assignee', component: Assignee, element, isEdited: isTextFieldEntryEdited },
    ...printableEntries(element, translate),
  ] };
}

export function startEventGroup(element, translate, catalogue) {
  return { id: 'gm-start', label: translate('Start'), entries: [
    ...formEntries(element), ...startRoleEntries(element, translate, catalogue.roles || []),
  ] };
}
