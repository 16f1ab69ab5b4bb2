// A modal dialog for a question or a small form: named by its title, keyboard focus moved inside on
// open and kept there (Tab wraps), Escape cancels, and focus goes back to the control that opened it.
import type { ComponentChildren } from 'preact';
import { useEffect, useRef } from 'preact/hooks';

interface Props {
  /** 'alertdialog' for a question that interrupts (confirm a deactivation); 'dialog' for a form. */
  role?: 'dialog' | 'alertdialog';
  title: string;
  /** What the question means, read out with the title. */
  description?: ComponentChildren;
  onCancel: () => void;
  children: ComponentChildren;
}

const FOCUSABLE = 'button:not([disabled]), input:not([disabled]), select:not([disabled]), textarea:not([disabled]), [href], [tabindex]:not([tabindex="-1"])';

let nextId = 0;

export function Dialog({ role = 'dialog', title, description, onCancel, children }: Props) {
  const box = useRef<HTMLDivElement>(null);
  const ids = useRef({ title: `dialog-title-${++nextId}`, description: `dialog-description-${nextId}` });

  useEffect(() => {
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    // The element marked data-autofocus (the safe choice in a question), else the first control.
    const first = box.current?.querySelector<HTMLElement>('[data-autofocus]') ?? box.current?.querySelector<HTMLElement>(FOCUSABLE);
    (first ?? box.current)?.focus();
    // Back where the keyboard was, if that control is still on the page (the caller moves it otherwise).
    return () => {
      if (opener?.isConnected) opener.focus();
    };
  }, []);

  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key === 'Escape') {
      e.stopPropagation();
      onCancel();
      return;
    }
    if (e.key !== 'Tab' || !box.current) return;
    const controls = [...box.current.querySelectorAll<HTMLElement>(FOCUSABLE)];
    const [firstControl, lastControl] = [controls[0], controls[controls.length - 1]];
    if (!firstControl || !lastControl) return;
    if (e.shiftKey && document.activeElement === firstControl) {
      e.preventDefault();
      lastControl.focus();
    } else if (!e.shiftKey && document.activeElement === lastControl) {
      e.preventDefault();
      firstControl.focus();
    }
  };

  return (
    <div class="dialog-backdrop" onClick={(e) => e.target === e.currentTarget && onCancel()}>
      <div
        ref={box}
        class="dialog card"
        role={role}
        aria-modal="true"
        aria-labelledby={ids.current.title}
        aria-describedby={description ? ids.current.description : undefined}
        tabIndex={-1}
        onKeyDown={onKeyDown}
      >
        <h2 id={ids.current.title} class="dialog-title">
          {title}
        </h2>
        {description && (
          <p id={ids.current.description} class="dialog-description">
            {description}
          </p>
        )}
        {children}
      </div>
    </div>
  );
}
