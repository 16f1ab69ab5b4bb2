// The peer for the widget bench: Rocket.Chat's livechat widget (@rocket.chat/livechat from the npm
// registry, a devDependency of the bench only) served from loopback as its server would serve it, with
// a stub for the little of Rocket.Chat's API it needs to show its launcher and open. Its files are sent
// brotli-compressed (quality 11) like Parley's, so the comparison is of what each widget needs, not
// of compression. Host page, widget files and API share one origin: the widget's iframe is then in the
// page's renderer process, so CPU throttling applies to it as it does to Parley's.
import { readdirSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { dirname, extname, join } from 'node:path';
import { brotliCompressSync, constants } from 'node:zlib';
import { WebSocketServer } from 'ws';

const TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.html': 'text/html; charset=utf-8',
  '.png': 'image/png',
  '.css': 'text/css; charset=utf-8',
};

/** The livechat/config answer: online, no registration form, so opening shows the message box. */
const CONFIG = {
  config: {
    enabled: true,
    online: true,
    settings: {
      registrationForm: false,
      allowSwitchingDepartments: false,
      nameFieldRegistrationForm: false,
      emailFieldRegistrationForm: false,
      displayOfflineForm: true,
      videoCall: false,
      fileUpload: false,
      language: 'en',
      transcript: false,
      historyMonitorType: 'url',
      forceAcceptDataProcessingConsent: false,
      showConnecting: false,
      agentHiddenInfo: false,
      limitTextLength: false,
    },
    theme: { title: 'Chat with us', color: '#4f46e5', offlineTitle: 'Leave a message', offlineColor: '#666', actionLinks: [] },
    messages: {},
    survey: {},
    triggers: [],
    departments: [],
    resources: { sound: '' },
  },
};

export interface LivechatPeer {
  url: string;
  /** The livechat package's version, for the report. */
  version: string;
  close(): Promise<void>;
}

export async function startLivechatPeer(): Promise<LivechatPeer> {
  const require = createRequire(import.meta.url);
  const packageJson = require.resolve('@rocket.chat/livechat/package.json');
  const build = join(dirname(packageJson), 'build');
  const version = (JSON.parse(readFileSync(packageJson, 'utf8')) as { version: string }).version;
  const files = new Map<string, { raw: Buffer; br: Buffer; type: string }>();
  for (const name of readdirSync(build)) {
    const type = TYPES[extname(name)];
    if (!type || name.endsWith('.map')) continue;
    const raw = readFileSync(join(build, name));
    const br = brotliCompressSync(raw, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } });
    files.set(name, { raw, br, type });
  }

  let url = '';
  const server: Server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://peer').pathname;
    if (path === '/') {
      res.setHeader('content-type', 'text/html; charset=utf-8');
      // Rocket.Chat's own embed snippet, pointed at this server.
      res.end(`<!doctype html><html lang="en"><head><title>Another shop</title></head><body><main><h1>Another shop</h1><p>Beans.</p></main>
<script type="text/javascript">
(function(w, d, s, u) {
  w.RocketChat = function(c) { w.RocketChat._.push(c) }; w.RocketChat._ = []; w.RocketChat.url = u;
  var h = d.getElementsByTagName(s)[0], j = d.createElement(s);
  j.async = true; j.src = '${url}/livechat/rocketchat-livechat.min.js?_=1';
  h.parentNode.insertBefore(j, h);
})(window, document, 'script', '${url}/livechat');
</script></body></html>`);
      return;
    }
    if (path.startsWith('/api/v1/livechat/config')) {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify(CONFIG));
      return;
    }
    if (path.startsWith('/api/')) {
      res.setHeader('content-type', 'application/json');
      res.end('{"success":true}');
      return;
    }
    const name = path === '/livechat' || path === '/livechat/' ? 'index.html' : path.replace(/^\/livechat\//, '');
    let file = files.get(name);
    if (file && name === 'index.html') {
      // Rocket.Chat's server tells the widget where it is the same way, in the page it serves.
      const raw = Buffer.from(file.raw.toString().replace('<body>', `<body><script>window.SERVER_URL=${JSON.stringify(url)}</script>`));
      file = { raw, br: brotliCompressSync(raw), type: file.type };
    }
    if (!file) {
      res.statusCode = 404;
      res.end();
      return;
    }
    const brotli = /\bbr\b/.test(String(req.headers['accept-encoding'] ?? ''));
    const body = brotli ? file.br : file.raw;
    res.setHeader('content-type', file.type);
    res.setHeader('content-length', body.length);
    res.setHeader('vary', 'Accept-Encoding');
    // Cached as generously as Parley's files: content-hashed names for a year, the rest 5 minutes.
    res.setHeader('cache-control', /\.[0-9a-f]{5}\.(js|css)$/.test(name) ? 'public, max-age=31536000, immutable' : 'public, max-age=300');
    if (brotli) res.setHeader('content-encoding', 'br');
    res.end(body);
  });

  // Rocket.Chat's realtime API (DDP over a WebSocket): connected, pongs, ready subscriptions, empty results.
  const sockets = new WebSocketServer({ server, path: '/websocket' });
  sockets.on('connection', (socket) => {
    socket.on('message', (data) => {
      let frame: { msg?: string; id?: string };
      try {
        frame = JSON.parse(String(data)) as { msg?: string; id?: string };
      } catch {
        return;
      }
      if (frame.msg === 'connect') socket.send(JSON.stringify({ msg: 'connected', session: 'bench' }));
      else if (frame.msg === 'ping') socket.send(JSON.stringify({ msg: 'pong' }));
      else if (frame.msg === 'sub') socket.send(JSON.stringify({ msg: 'ready', subs: [frame.id] }));
      else if (frame.msg === 'method') socket.send(JSON.stringify({ msg: 'result', id: frame.id, result: null }));
    });
  });

  await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    version,
    close: () =>
      new Promise<void>((done) => {
        for (const client of sockets.clients) client.terminate();
        sockets.close();
        server.close(() => done());
      }),
  };
}
