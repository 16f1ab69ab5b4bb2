// Two builds from one config: `--mode widget` makes the single-file embeddable script dist/widget.js;
// `--mode inbox` makes the agent inbox page in dist/inbox/, served by the server at /inbox.
import { resolve } from 'node:path';
import { defineConfig } from 'vite';

const root = import.meta.dirname;

export default defineConfig(({ mode }) => {
  if (mode === 'widget') {
    return {
      build: {
        outDir: resolve(root, 'dist'),
        emptyOutDir: false,
        target: 'es2020',
        lib: {
          entry: resolve(root, 'widget/main.tsx'),
          formats: ['iife'],
          name: 'ParleyWidget',
          fileName: () => 'widget.js',
        },
      },
    };
  }
  return {
    root: resolve(root, 'server/inbox/ui'),
    base: '/inbox/',
    build: {
      outDir: resolve(root, 'dist/inbox'),
      emptyOutDir: true,
      target: 'es2020',
    },
  };
});
