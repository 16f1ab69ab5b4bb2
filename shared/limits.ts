// Limits and names that both the widget and the server rely on. Plain constants only: the widget
// imports this file, so nothing here may pull in a library (it would land in the visitor's bundle).

/** Longest message body anyone may send, in characters (after trimming). */
export const MAX_MESSAGE_LENGTH = 4000;
/** Largest WebSocket frame the server accepts; bigger frames close the socket with code 1009. */
export const MAX_FRAME_BYTES = 64 * 1024;
/** Cookie on the host site that remembers a visitor between page loads. */
export const VISITOR_COOKIE = 'parley_vid';
/** Cookie that carries an agent's inbox session. */
export const SESSION_COOKIE = 'parley_session';
/** Header that carries the CSRF token on every state-changing inbox request. */
export const CSRF_HEADER = 'X-CSRF-Token';
/** WebSocket paths. */
export const VISITOR_SOCKET_PATH = '/ws/visitor';
export const AGENT_SOCKET_PATH = '/ws/agent';
/**
 * Close code 1012 ("Service Restart"): the server is stopping and will be back shortly. The widget
 * reconnects within a couple of seconds instead of backing off as it does after a lost connection.
 */
export const SERVICE_RESTART_CLOSE_CODE = 1012;
