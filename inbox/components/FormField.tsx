// A labelled form control in the shared `.field` wrapper: the label names the input, select or textarea
// by its id, and an optional hint and error under it are linked as the control's description.
import type { ComponentChildren, InputHTMLAttributes, SelectHTMLAttributes, TextareaHTMLAttributes } from 'preact';

interface Labelled {
  id: string;
  label: string;
  /** A note under the control (`<id>-hint`), read out with it. */
  hint?: ComponentChildren;
  /** Anything else that belongs under the control, e.g. its datalist. */
  after?: ComponentChildren;
  /** Why the server refused this field (`<id>-error`): shown under it, and the control marked invalid. */
  error?: string | null;
}

const hintId = (id: string) => `${id}-hint`;
export const errorId = (id: string) => `${id}-error`;

/** Points the control at its hint and error, and marks it invalid while it has an error. */
function describedBy(id: string, hint: ComponentChildren, error: string | null | undefined) {
  const ids = [hint ? hintId(id) : '', error ? errorId(id) : ''].filter(Boolean).join(' ');
  return { ...(ids && { 'aria-describedby': ids }), ...(error && { 'aria-invalid': true }) };
}

function Field({ id, label, hint, after, error, children }: Labelled & { children: ComponentChildren }) {
  return (
    <div class="field">
      <label for={id}>{label}</label>
      {children}
      {hint && (
        <p id={hintId(id)} class="field-hint">
          {hint}
        </p>
      )}
      {error && (
        <p id={errorId(id)} class="field-error">
          {error}
        </p>
      )}
      {after}
    </div>
  );
}

export function FormField({ id, label, hint, after, error, ...input }: Labelled & InputHTMLAttributes) {
  return (
    <Field id={id} label={label} hint={hint} after={after} error={error}>
      <input id={id} {...describedBy(id, hint, error)} {...input} />
    </Field>
  );
}

export function SelectField({ id, label, hint, after, error, children, ...select }: Labelled & SelectHTMLAttributes) {
  return (
    <Field id={id} label={label} hint={hint} after={after} error={error}>
      <select id={id} {...describedBy(id, hint, error)} {...select}>
        {children}
      </select>
    </Field>
  );
}

export function TextareaField({ id, label, hint, after, error, ...textarea }: Labelled & TextareaHTMLAttributes) {
  return (
    <Field id={id} label={label} hint={hint} after={after} error={error}>
      <textarea id={id} {...describedBy(id, hint, error)} {...textarea} />
    </Field>
  );
}

/** A form's error, said as an alert when it appears; nothing while there is none. */
export function FormError({ message }: { message: string | null }) {
  return message ? (
    <p class="form-error" role="alert">
      {message}
    </p>
  ) : null;
}
