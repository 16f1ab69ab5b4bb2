// Three builds from one config: `--mode widget` makes the single-file embeddable script dist/widget.js;
// `--mode inbox` makes the agent inbox page in dist/inbox/, served by the server at /inbox;
// `--mode server` bundles the server into dist/server/main.js for `npm start`.
import { resolve } from 'node:path';
import { defineConfig } from 'vite';

const root = import.meta.dirname;

export default defineConfig(({ mode }) => {
  if (mode === 'widget') {
    return {
      build: {
        outDir: resolve(root, 'dist'),
        emptyOutDir: false,
        target: 'es2022',
        lib: {
          entry: resolve(root, 'widget/main.tsx'),
          formats: ['iife'],
          name: 'ParleyWidget',
          fileName: () => 'widget.js',
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
          output: { entryFileNames: '[name].js' },
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
