// Limits and names that both the widget and the server rely on. Plain constants only: the widget
// imports this file, so nothing here may pull in a library (it would land in the visitor's bundle).

/** Longest message body anyone may send, in characters (after trimming). */
export const MAX_MESSAGE_LENGTH = 4000;
/** Longest email address (RFC 5321's path limit), for agents and visitors alike. */
export const MAX_EMAIL_LENGTH = 254;
/** Longest display name of an agent or a visitor (a Messenger profile name is cut to it too). */
export const MAX_NAME_LENGTH = 100;
/** An agent's password: at least this long to set one... */
export const MIN_PASSWORD_LENGTH = 8;
/** ...and at most this long, so a sign-in never hashes megabytes. */
export const MAX_PASSWORD_LENGTH = 200;
/** Largest avatar an agent may upload (Settings → Profile). */
export const MAX_AVATAR_BYTES = 1024 * 1024;
/** A saved response's title and category, as the inbox lists them. */
export const MAX_SAVED_RESPONSE_TITLE_LENGTH = 120;
export const MAX_SAVED_RESPONSE_CATEGORY_LENGTH = 60;
/** The host page's address and referrer the widget reports, cut to this many characters. */
export const MAX_PAGE_URL_LENGTH = 2000;
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
/** The widget's file uploads (HTTP, with the visitor's token) and its own downloads of its conversation's files. */
export const WIDGET_UPLOAD_PATH = '/api/widget/uploads';
export const WIDGET_ATTACHMENTS_PATH = '/api/widget/attachments/';
/** Where a kept file is downloaded by agents; the widget swaps this for WIDGET_ATTACHMENTS_PATH. */
export const AGENT_ATTACHMENTS_PATH = '/api/attachments/';
/**
 * Close code 1012 ("Service Restart"): the server is stopping and will be back shortly. The widget
 * reconnects within a couple of seconds instead of backing off as it does after a lost connection.
 */
export const SERVICE_RESTART_CLOSE_CODE = 1012;
