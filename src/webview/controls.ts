// The toolbar's controls. This is the only module that knows about @vscode/webview-ui-toolkit
// (deprecated and archived upstream): the rest of the app uses the small factories below, so
// that moving to its successor, @vscode-elements/elements, changes this file only.
import {
  provideVSCodeDesignSystem,
  vsCodeButton,
  vsCodeCheckbox,
  vsCodeDivider,
  vsCodeDropdown,
  vsCodeOption,
  vsCodeTextField,
} from '@vscode/webview-ui-toolkit';

let registered = false;

/**
 * The toolkit's text field takes its accessible name from its label (its text content, shown
 * above the field) and overwrites any aria-label with "Text field". The toolbar has no room
 * for visible labels, so the label is kept but only for assistive technology. A constructed
 * stylesheet, which the page's Content Security Policy allows, as it does the toolkit's own.
 */
const quietLabelCss = `vscode-text-field.quiet-label::part(label) {
  position: absolute; width: 1px; height: 1px; margin: -1px; overflow: hidden;
  clip-path: inset(50%); white-space: nowrap;
}`;

/** Defines the custom elements the factories make; call once before making any. */
export function registerControls(): void {
  if (registered) return;
  provideVSCodeDesignSystem().register(
    vsCodeButton(),
    vsCodeCheckbox(),
    vsCodeDivider(),
    vsCodeDropdown(),
    vsCodeOption(),
    vsCodeTextField(),
  );
  const sheet = new CSSStyleSheet();
  sheet.replaceSync(quietLabelCss);
  document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
  registered = true;
}

export interface ButtonOptions {
  readonly label: string;
  /** The tooltip and accessible name, when the label alone says too little. */
  readonly title?: string;
  readonly appearance?: 'primary' | 'secondary';
  readonly onClick: () => void;
}

export function button(options: ButtonOptions): HTMLElement {
  const el = document.createElement('vscode-button');
  el.textContent = options.label;
  el.setAttribute('appearance', options.appearance ?? 'secondary');
  if (options.title) {
    el.title = options.title;
    el.setAttribute('aria-label', options.title);
  }
  el.addEventListener('click', () => options.onClick());
  return el;
}

export interface TextFieldHandle {
  readonly element: HTMLElement;
  value: string;
  focus(): void;
}

export function textField(options: {
  readonly label: string;
  readonly placeholder: string;
  readonly value: string;
  readonly onInput: (value: string) => void;
}): TextFieldHandle {
  const el = document.createElement('vscode-text-field') as HTMLElement & { value: string };
  el.setAttribute('placeholder', options.placeholder);
  el.classList.add('text-field', 'quiet-label');
  el.textContent = options.label;
  el.title = options.label;
  el.value = options.value;
  el.addEventListener('input', () => options.onInput(el.value));
  return {
    element: el,
    get value() {
      return el.value;
    },
    set value(v: string) {
      el.value = v;
    },
    focus: () => el.focus(),
  };
}

export interface DropdownHandle<T extends string> {
  readonly element: HTMLElement;
  value: T;
}

export function dropdown<T extends string>(options: {
  readonly label: string;
  readonly options: readonly { readonly value: T; readonly label: string }[];
  readonly value: T;
  readonly onChange: (value: T) => void;
}): DropdownHandle<T> {
  const el = document.createElement('vscode-dropdown') as HTMLElement & { value: string };
  el.setAttribute('aria-label', options.label);
  el.title = options.label;
  for (const o of options.options) {
    const option = document.createElement('vscode-option');
    option.setAttribute('value', o.value);
    option.textContent = o.label;
    el.appendChild(option);
  }
  el.value = options.value;
  const known = new Set<string>(options.options.map((o) => o.value));
  el.addEventListener('change', () => {
    if (known.has(el.value)) options.onChange(el.value as T);
  });
  return {
    element: el,
    get value() {
      return el.value as T;
    },
    set value(v: T) {
      el.value = v;
    },
  };
}

export interface CheckboxHandle {
  readonly element: HTMLElement;
  checked: boolean;
}

export function checkbox(options: {
  readonly label: string;
  readonly checked: boolean;
  readonly onChange: (checked: boolean) => void;
}): CheckboxHandle {
  const el = document.createElement('vscode-checkbox') as HTMLElement & { checked: boolean };
  el.textContent = options.label;
  el.checked = options.checked;
  el.addEventListener('change', () => options.onChange(el.checked));
  return {
    element: el,
    get checked() {
      return el.checked;
    },
    set checked(v: boolean) {
      el.checked = v;
    },
  };
}

export function divider(): HTMLElement {
  const el = document.createElement('vscode-divider');
  el.className = 'divider';
  el.setAttribute('role', 'separator');
  return el;
}

/** Whether a key event's target takes text (so that the timeline's keys leave it alone). */
export function isTextEntry(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  const tag = target.tagName.toLowerCase();
  return (
    tag === 'input' ||
    tag === 'textarea' ||
    tag === 'vscode-text-field' ||
    tag === 'vscode-dropdown' ||
    target.isContentEditable
  );
}
