/**
 * Adds the Guicheng groups after the stock ones (id, name, documentation):
 * each element type gets the fields the server reads for it.
 */
import { getBusinessObject, is } from 'bpmn-js/lib/util/ModelUtil';
import { laneGroup, startEventGroup, userTaskGroup } from './people.jsx';
import { callActivityGroup, decisionGroup, serviceTaskGroup } from './work.jsx';
import { scriptGroup } from './scripts.jsx';
import { conditionGroup, isGatewayFlow, timerGroup, timerOf } from './routing.jsx';

function groupsFor(element, translate, catalogue) {
  const groups = [];
  if (is(element, 'bpmn:Lane')) groups.push(laneGroup(element, translate));
  if (is(element, 'bpmn:UserTask') || is(element, 'bpmn:ManualTask')) groups.push(userTaskGroup(element, translate));
  if (is(element, 'bpmn:StartEvent') && is(getBusinessObject(element).$parent, 'bpmn:Process')) {
    groups.push(startEventGroup(element, translate, catalogue));
  }
  if (is(element, 'bpmn:ServiceTask')) groups.push(serviceTaskGroup(element, translate, catalogue));
  if (is(element, 'bpmn:BusinessRuleTask')) groups.push(decisionGroup(element, translate));
  if (is(element, 'bpmn:CallActivity')) groups.push(callActivityGroup(element, translate));
  if (isGatewayFlow(element)) groups.push(conditionGroup(element, translate));
  if (is(element, 'bpmn:Event') && timerOf(element)) groups.push(timerGroup(element, translate));
  const scripts = scriptGroup(element, translate);
  if (scripts) groups.push(scripts);
  return groups;
}

export default function GuichengPropertiesProvider(propertiesPanel, translate, guichengSettings) {
  this.getGroups = (element) => (groups) => {
    const ours = groupsFor(element, translate, guichengSettings.catalogue);
    const general = groups.findIndex((g) => g.id === 'general');
    groups.splice(general < 0 ? 0 : general + 1, 0, ...ours);
    return groups;
  };
  propertiesPanel.registerProvider(500, this);
}
GuichengPropertiesProvider.$inject = ['propertiesPanel', 'translate', 'guichengSettings'];

export function propertiesModule(settings) {
  return {
    __init__: ['guichengPropertiesProvider'],
    guichengPropertiesProvider: ['type', GuichengPropertiesProvider],
    guichengSettings: ['value', { ...settings, catalogue: settings.catalogue || {} }],
  };
}
