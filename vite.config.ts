// Four builds from one config: `--mode panel` makes the widget's chat panel, dist/widget/panel-<hash>.js;
// `--mode widget` then makes the launcher, dist/widget.js, which names that file (so panel goes first);
// `--mode inbox` makes the agent inbox page in dist/inbox/, served by the server at /inbox;
// `--mode server` bundles the server into dist/server/main.js for `npm start`.
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { minify } from 'terser';
import { defineConfig, type Plugin } from 'vite';

const root = import.meta.dirname;
const panelFolder = resolve(root, 'dist/widget');
/** Written by the panel build: which file is the current panel (older ones stay for cached launchers). */
const panelManifest = resolve(panelFolder, 'manifest.json');

/**
 * Brotli (quality 11) and gzip (level 9) copies beside each widget file, made once here so the server
 * sends them as they are (server/http/widgetFiles.ts) instead of compressing on every request.
 */
function precompress(): Plugin {
  return {
    name: 'parley-precompress',
    writeBundle(options, bundle) {
      for (const file of Object.values(bundle)) {
        if (file.type !== 'chunk') continue;
        const path = resolve(options.dir ?? '', file.fileName);
        const raw = readFileSync(path);
        const params = { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT, [constants.BROTLI_PARAM_SIZE_HINT]: raw.length };
        writeFileSync(`${path}.br`, brotliCompressSync(raw, { params }));
        writeFileSync(`${path}.gz`, gzipSync(raw, { level: 9 }));
      }
    },
  };
}

/**
 * A second minifier over each widget file, after rolldown's: terser's compressor, run twice, finds what
 * oxc leaves (statements it could merge, conditions it could fold): −110 bytes of brotli on the
 * panel and −70 on the launcher, a tenth of what separated them from the 14 KB budget. Only safe
 * transforms: a host page may have changed any built-in, so nothing assumes they are standard. It runs
 * once the panel's name is hashed, which is fine: the same sources and lockfile give the same output.
 */
function compressFurther(): Plugin {
  return {
    name: 'parley-compress-further',
    async generateBundle(_options, bundle) {
      for (const file of Object.values(bundle)) {
        if (file.type !== 'chunk') continue;
        const result = await minify(file.code, { ecma: 2020, compress: { passes: 2 }, mangle: true });
        if (result.code === undefined) throw new Error(`terser returned nothing for ${file.fileName}`);
        file.code = result.code;
      }
    },
  };
}

/**
 * Property names the panel's minifier shortens to a letter or two (rolldown's mangleProps), each used
 * only inside the panel file:
 * - Preact's internal fields (`__k`, `__e`, …, already short but spelled on every vnode) and the option
 *   hooks it checks but the panel never sets (−214 bytes of brotli);
 * - Preact's Component members and lifecycle names, which Preact and our components spell alike and
 *   never inside a string (−158);
 * - the members the panel's own modules (connection.ts, ui/*) use among themselves.
 * Never a name that leaves the file: nothing in a frame or in localStorage (JSON keeps its names),
 * nothing the launcher hands over or reads (panelLink.ts: EmbedSettings, the Look), nothing of the DOM's
 * (so no `onChange`: an input has one too; no `upload`: XMLHttpRequest has one). Tests run the sources,
 * so only the e2e tests, which load the built panel, see the mangled file.
 */
const PREACT_COMPONENT_NAMES = [
  ...['componentDidMount', 'componentDidUpdate', 'componentWillUnmount', 'shouldComponentUpdate', 'getDerivedStateFromProps'],
  ...['componentWillReceiveProps', 'getDerivedStateFromError', 'getSnapshotBeforeUpdate', 'componentWillUpdate', 'componentWillMount'],
  ...['componentDidCatch', 'getChildContext', 'contextType', 'forceUpdate', 'setState', 'context', 'current', 'props', 'state', 'render'],
];
const PANEL_LOCAL_PROPERTIES = [
  ...['vnode', 'diffed', 'unmount', 'debounceRendering'],
  ...PREACT_COMPONENT_NAMES,
  ...['tokens', 'WebSocketImpl', 'XHRImpl', 'ackTimeoutMs', 'queued', 'ackTimer', 'busy'],
  ...['pausedFor', 'agentTyping', 'emailError', 'uploadError', 'listen', 'reconnectNow', 'markSeen', 'fetchFile'],
  ...['connection', 'changed', 'subscribe', 'shown', 'nobodyOnline', 'onRetry', 'onSend', 'onDraft', 'onFiles', 'fileError'],
  ...['progress', 'failed', 'attach', 'retry', 'said', 'address', 'ask', 'view'],
  ...['outbox', 'load', 'save', 'read', 'write', 'clear', 'start', 'stop', 'onClose'],
];

/**
 * The panel's mangleProps rule. The build stops if a name on the list is a field declared where the
 * panel meets the outside: the wire protocol, or what the launcher hands over (panelLink.ts, and the
 * EmbedSettings and Look inside it); or if a Preact that spells one of its Component names in a string
 * (as it does `children`, which therefore keeps its name) is installed.
 */
function panelMangleProps(): { include: RegExp } {
  const preact = readFileSync(resolve(root, 'node_modules/preact/dist/preact.mjs'), 'utf8');
  const quoted = PREACT_COMPONENT_NAMES.filter((name) => new RegExp(`["'\`]${name}["'\`]`).test(preact));
  if (quoted.length > 0) throw new Error(`vite.config.ts: Preact spells ${quoted.join(', ')} in a string: they must keep their names`);
  const boundaries = ['shared/protocol.ts', 'widget/panelLink.ts', 'widget/embed.ts', 'widget/look.ts'];
  for (const file of boundaries) {
    const source = readFileSync(resolve(root, file), 'utf8');
    const crossing = PANEL_LOCAL_PROPERTIES.filter((name) => new RegExp(`\\b${name}\\??[:(]`).test(source));
    if (crossing.length > 0) throw new Error(`vite.config.ts: ${crossing.join(', ')} must keep their names: ${file} declares them`);
  }
  return { include: new RegExp(`^(__[A-Za-z]?|${PANEL_LOCAL_PROPERTIES.join('|')})$`) };
}

/** The current panel's path relative to widget.js, from the panel build's manifest. */
function currentPanelFile(): string {
  const manifest = JSON.parse(readFileSync(panelManifest, 'utf8')) as Record<string, { file: string; isEntry?: boolean }>;
  const entry = Object.values(manifest).find((chunk) => chunk.isEntry);
  if (!entry) throw new Error(`No panel entry in ${panelManifest}: run vite build --mode panel first`);
  return `widget/${entry.file}`;
}

export default defineConfig(({ mode }) => {
  if (mode === 'panel') {
    return {
      plugins: [compressFurther(), precompress()],
      // Classic JSX (h() calls, imported into every file here) instead of the automatic runtime that
      // type-checking and the tests use: the same Preact elements, in about 100 fewer bytes of brotli, since
      // h() ships with Preact anyway while jsx() is a module of its own and every call spells `children`.
      oxc: { jsx: { runtime: 'classic', pragma: 'h', pragmaFrag: 'Fragment' }, jsxInject: "import { h, Fragment } from 'preact'" },
      build: {
        outDir: panelFolder,
        // Not emptied: a launcher cached before a rebuild (max-age 5 min) still finds the panel it names.
        emptyOutDir: false,
        target: 'es2022',
        manifest: 'manifest.json',
        rollupOptions: {
          input: resolve(root, 'widget/panel.tsx'),
          output: { format: 'iife', entryFileNames: 'panel-[hash].js', minify: { mangleProps: panelMangleProps() } },
        },
      },
    };
  }
  if (mode === 'widget') {
    return {
      plugins: [compressFurther(), precompress()],
      define: { __PARLEY_PANEL_FILE__: JSON.stringify(currentPanelFile()) },
      build: {
        outDir: resolve(root, 'dist'),
        emptyOutDir: false,
        target: 'es2022',
        rollupOptions: {
          input: resolve(root, 'widget/main.ts'),
          output: { format: 'iife', entryFileNames: 'widget.js' },
        },
      },
    };
  }
  if (mode === 'server') {
    // The server as one ESM file: `npm start` runs it with plain node, so a start costs no TypeScript
    // compilation. The pure-JS libraries every start needs are bundled in too: resolving and
    // loading their hundreds of small modules one by one was a third of the cold start. Native
    // better-sqlite3, ws (optional native helpers) and the email libraries (loaded on first use)
    // stay in node_modules. Each worker thread is a further entry, named after its source file and
    // loaded from beside main.js (server/workerThread.ts).
    return {
      ssr: { noExternal: ['hono', '@hono/node-server', 'drizzle-orm', 'zod', 'bowser'] },
      build: {
        ssr: true,
        outDir: resolve(root, 'dist/server'),
        emptyOutDir: true,
        target: 'node20',
        rollupOptions: {
          input: {
            main: resolve(root, 'server/main.ts'),
            mailReaderWorker: resolve(root, 'server/channels/email/inbound/mailReaderWorker.ts'),
            checkpointerWorker: resolve(root, 'server/db/checkpointerWorker.ts'),
            searchIndexerWorker: resolve(root, 'server/storage/sqlite/searchIndexerWorker.ts'),
          },
          // Chunks beside the entries, not in assets/: a worker is started from `./<name>.js` beside
          // its caller's file (server/workerThread.ts), and the caller may land in a shared chunk.
          output: { entryFileNames: '[name].js', chunkFileNames: '[name]-[hash].js' },
        },
      },
    };
  }
  return {
    root: resolve(root, 'inbox'),
    base: '/inbox/',
    build: {
      outDir: resolve(root, 'dist/inbox'),
      emptyOutDir: true,
      target: 'es2020',
    },
  };
});
