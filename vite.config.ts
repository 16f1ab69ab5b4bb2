// Four builds from one config: `--mode panel` makes the widget's chat panel, dist/widget/panel-<hash>.js;
// `--mode widget` then makes the launcher, dist/widget.js, which names that file (so panel goes first);
// `--mode inbox` makes the agent inbox page in dist/inbox/, served by the server at /inbox;
// `--mode server` bundles the server into dist/server/main.js for `npm start`.
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
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
 * Property names the panel's minifier shortens to a letter or two (rolldown's mangleProps), each used
 * only inside the panel file: Preact's internal fields (`__k`, `__e`, …, already short but spelled on
 * every vnode) and the option hooks it checks but the panel never sets, and the members the panel's
 * own modules (connection.ts, ui/*) use among themselves. Never a name that leaves the file: nothing
 * in a frame or in localStorage (JSON keeps its names), nothing the launcher hands over or reads
 * (panelLink.ts: EmbedSettings, the Look), nothing of the DOM's (so no `onChange`: an input has one
 * too). −214 bytes of brotli. Tests run the sources, so only the e2e tests, which load the built panel,
 * see the mangled file.
 */
const PANEL_LOCAL_PROPERTIES = [
  ...['vnode', 'diffed', 'unmount', 'debounceRendering'],
  ...['tokens', 'WebSocketImpl', 'XHRImpl', 'ackTimeoutMs', 'queued', 'ackTimer', 'busy'],
  ...['pausedFor', 'agentTyping', 'emailError', 'uploadError', 'listen', 'reconnectNow', 'markSeen', 'fetchFile'],
  ...['connection', 'changed', 'subscribe', 'shown', 'nobodyOnline', 'onRetry', 'onSend', 'onDraft', 'onFiles', 'fileError'],
];

/**
 * The panel's mangleProps rule. The build stops if a name on the list is a field declared where the
 * panel meets the outside: the wire protocol, or what the launcher hands over (panelLink.ts, and the
 * EmbedSettings and Look inside it).
 */
function panelMangleProps(): { include: RegExp } {
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
      plugins: [precompress()],
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
      plugins: [precompress()],
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
