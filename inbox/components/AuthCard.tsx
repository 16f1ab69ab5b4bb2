// The frame around the sign-in and setup forms: the brand above a centred card.
import type { ComponentChildren } from 'preact';
import { LogoIcon } from './icons';

export function AuthCard({ title, intro, children }: { title: string; intro: string; children: ComponentChildren }) {
  return (
    <main class="auth">
      <div class="auth-brand">
        <span class="logo">
          <LogoIcon />
        </span>
        Parley Inbox
      </div>
      <section class="auth-card" aria-labelledby="auth-title">
        <h1 id="auth-title">{title}</h1>
        <p class="auth-intro">{intro}</p>
        {children}
      </section>
    </main>
  );
}
