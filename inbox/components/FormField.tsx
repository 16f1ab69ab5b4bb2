// A labelled form control in the shared `.field` wrapper: the label names the input, select or textarea
// by its id, and an optional hint under it is linked as the control's description.
import type { ComponentChildren, InputHTMLAttributes, SelectHTMLAttributes, TextareaHTMLAttributes } from 'preact';

interface Labelled {
  id: string;
  label: string;
  /** A note under the control (`<id>-hint`), read out with it. */
  hint?: ComponentChildren;
  /** Anything else that belongs under the control, e.g. its datalist. */
  after?: ComponentChildren;
}

const hintId = (id: string) => `${id}-hint`;

/** Points the control at its hint, when it has one. */
const describedBy = (id: string, hint: ComponentChildren) => (hint ? { 'aria-describedby': hintId(id) } : {});

function Field({ id, label, hint, after, children }: Labelled & { children: ComponentChildren }) {
  return (
    <div class="field">
      <label for={id}>{label}</label>
      {children}
      {hint && (
        <p id={hintId(id)} class="field-hint">
          {hint}
        </p>
      )}
      {after}
    </div>
  );
}

export function FormField({ id, label, hint, after, ...input }: Labelled & InputHTMLAttributes) {
  return (
    <Field id={id} label={label} hint={hint} after={after}>
      <input id={id} {...describedBy(id, hint)} {...input} />
    </Field>
  );
}

export function SelectField({ id, label, hint, after, children, ...select }: Labelled & SelectHTMLAttributes) {
  return (
    <Field id={id} label={label} hint={hint} after={after}>
      <select id={id} {...describedBy(id, hint)} {...select}>
        {children}
      </select>
    </Field>
  );
}

export function TextareaField({ id, label, hint, after, ...textarea }: Labelled & TextareaHTMLAttributes) {
  return (
    <Field id={id} label={label} hint={hint} after={after}>
      <textarea id={id} {...describedBy(id, hint)} {...textarea} />
    </Field>
  );
}
