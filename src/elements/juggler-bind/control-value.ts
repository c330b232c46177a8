import type { JsonValue } from '../../core/json.js';

/** How a control's value is written: as the control suggests (default), or forced by `as`. */
export type ValueKind = 'number' | 'boolean' | 'string' | 'json';

type FormAssociated = HTMLElement & { value: unknown };

/** Inputs, selects, text areas, and form-associated custom elements (which declare `static formAssociated`). */
export function isControl(node: EventTarget): node is HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement | FormAssociated {
  return (
    node instanceof HTMLInputElement ||
    node instanceof HTMLSelectElement ||
    node instanceof HTMLTextAreaElement ||
    (node instanceof HTMLElement && (node.constructor as { formAssociated?: boolean }).formAssociated === true)
  );
}

/** The control's value as JSON: numbers from number and range inputs, booleans from checkboxes. */
export function readControl(control: Element, kind: ValueKind | null): JsonValue {
  let value: JsonValue;
  if (control instanceof HTMLInputElement && control.type === 'checkbox') value = control.checked;
  else if (control instanceof HTMLInputElement && (control.type === 'number' || control.type === 'range')) {
    value = control.value === '' || Number.isNaN(control.valueAsNumber) ? null : control.valueAsNumber;
  } else if (control instanceof HTMLSelectElement && control.multiple) {
    value = Array.from(control.selectedOptions, (option) => option.value);
  } else value = (control as FormAssociated).value as JsonValue;
  return kind ? coerce(value, kind) : value;
}

/**
 * Shows a JSON value in a control; the inverse of {@link readControl}. Never
 * throws, whatever the peer sent: values are compared as text ({@link asText}),
 * not through `String()`, which an object like `{"toString": 1}` makes throw.
 */
export function writeControl(control: Element, value: JsonValue | undefined): void {
  if (control instanceof HTMLInputElement && control.type === 'checkbox') control.checked = value === true;
  else if (control instanceof HTMLInputElement && control.type === 'radio') control.checked = control.value === asText(value);
  else if (control instanceof HTMLSelectElement && control.multiple) {
    const chosen = new Set(Array.isArray(value) ? value.map(asText) : []);
    for (const option of control.options) option.selected = chosen.has(option.value);
  } else if (control instanceof HTMLInputElement || control instanceof HTMLSelectElement || control instanceof HTMLTextAreaElement) {
    control.value = asText(value);
  } else (control as FormAssociated).value = value ?? null;
}

/** How a value reads as text: strings as they are, other values as JSON, nothing for null or missing. */
export function asText(value: JsonValue | undefined): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return value;
  // String() is JSON's text for every finite number, and several times faster than JSON.stringify.
  return typeof value === 'number' && Number.isFinite(value) ? String(value) : JSON.stringify(value);
}

function coerce(value: JsonValue, kind: ValueKind): JsonValue {
  switch (kind) {
    case 'number': {
      const number = typeof value === 'string' && value.trim() === '' ? NaN : Number(value);
      return Number.isFinite(number) ? number : null;
    }
    case 'boolean':
      return value === true || value === 'true' || value === 'on' || (typeof value === 'number' && value !== 0);
    case 'string':
      return asText(value);
    case 'json':
      try {
        return typeof value === 'string' ? (JSON.parse(value) as JsonValue) : value;
      } catch {
        return value;
      }
  }
}
