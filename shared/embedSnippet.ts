// The embed code a site owner pastes, declared once: the demo site and the end-to-end tests embed the
// widget through it, and a test holds the README's copy to it. It must stay two plain lines of HTML.

/**
 * The snippet for a Parley server at `serverUrl` (an origin, no trailing slash). The first line lets
 * the page call `Parley(...)` before the script loads: calls are queued, and the widget replays them.
 */
export function embedSnippet(serverUrl: string): string {
  return `<script>window.Parley = window.Parley || function () { (Parley.q = Parley.q || []).push(arguments); };</script>
<script async src="${serverUrl}/widget.js"></script>`;
}
