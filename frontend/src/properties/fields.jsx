/**
 * Entry components shared by the Guicheng groups: a select over catalogue
 * values that keeps an unknown current value visible, and a text field whose
 * expression is checked by the server's evaluator as the value changes.
 */
import { SelectEntry, TextAreaEntry, TextFieldEntry } from '@bpmn-io/properties-panel';
import { useService } from 'bpmn-js-properties-panel';
import { useEffect, useState } from '@bpmn-io/properties-panel/preact/hooks';

export function useSettings() {
  return useService('guichengSettings');
}

/** Options `[{value,label}]` with a "none" entry first and the current value kept when unknown. */
export function optionsWith(translate, current, options) {
  const list = [{ value: '', label: translate('(none)') }, ...options];
  if (current && !options.some((o) => o.value === current)) {
    list.push({ value: current, label: translate('Unknown: {value}', { value: current }) });
  }
  return list;
}

export function CatalogueSelect(props) {
  const { element, id, label, description, getValue, setValue, options } = props;
  const translate = useService('translate');
  return <SelectEntry id={id} element={element} label={label} description={description}
    getValue={getValue} setValue={setValue}
    getOptions={() => optionsWith(translate, getValue(element), options())} />;
}

export function PlainText(props) {
  const { element, id, label, description, getValue, setValue } = props;
  const debounce = useService('debounceInput');
  return <TextFieldEntry id={id} element={element} label={label} description={description}
    getValue={getValue} setValue={setValue} debounce={debounce} />;
}

/** The checker's verdict on `value` ({ok,message}), or null while unknown or when no checker is set. */
function useCheck(value, kind) {
  const { checkExpression } = useSettings();
  const [problem, setProblem] = useState(null);
  useEffect(() => {
    let current = true;
    if (!checkExpression || !value) {
      setProblem(null);
      return undefined;
    }
    Promise.resolve(checkExpression(value, kind)).then(
      (result) => { if (current) setProblem(result && result.ok === false ? (result.message || '?') : null); },
      () => { if (current) setProblem(null); });
    return () => { current = false; };
  }, [value, kind, checkExpression]);
  return problem;
}

export function CheckedExpression(props) {
  const { element, id, label, description, kind, getValue, setValue, multiline } = props;
  const debounce = useService('debounceInput');
  const problem = useCheck(getValue(element), kind);
  const shown = problem
    ? <span class="gm-check-problem" role="alert" data-problem-for={id}>{problem}</span>
    : description;
  const Entry = multiline ? TextAreaEntry : TextFieldEntry;
  return <Entry id={id} element={element} label={label} description={shown}
    getValue={getValue} setValue={setValue} debounce={debounce} />;
}
