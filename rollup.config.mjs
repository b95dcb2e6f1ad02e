import nodeResolve from '@rollup/plugin-node-resolve';
import terser from '@rollup/plugin-terser';
import typescript from '@rollup/plugin-typescript';
import { dts } from 'rollup-plugin-dts';

// eventsource-parser is bundled in: the published package has no runtime dependencies.
const ts = () =>
  typescript({ tsconfig: './tsconfig.json', include: ['src/**/*.ts'], noEmit: false, declaration: false });

// V8's explicit compile hint (Chromium 136+): a page calls nearly every function of the browser
// entries when it mounts a chat, so they are compiled while the script downloads, off the main thread,
// rather than one by one on first call, on it. It must be the file's first line; bundlers drop it.
const compileHint = '//# allFunctionsCalledOnLoad';
const browserEntries = new Set(['index', 'conversation']);

export default [
  {
    input: { index: 'src/index.ts', conversation: 'src/conversation.ts', server: 'src/server/index.ts' },
    output: {
      dir: 'dist',
      format: 'es',
      entryFileNames: '[name].js',
      chunkFileNames: 'shared-[hash].js',
      banner: (chunk) => (chunk.isEntry && browserEntries.has(chunk.name) ? compileHint : ''),
    },
    plugins: [nodeResolve(), ts()],
  },
  {
    input: 'src/index.ts',
    output: {
      file: 'dist/chatwire.iife.js',
      format: 'iife',
      name: 'Chatwire',
      // After terser, which keeps no comment but licences.
      plugins: [terser(), { name: 'compile-hint', renderChunk: (code) => `${compileHint}\n${code}` }],
    },
    plugins: [nodeResolve(), ts()],
  },
  {
    input: { index: 'src/index.ts', conversation: 'src/conversation.ts', server: 'src/server/index.ts' },
    output: {
      dir: 'dist',
      format: 'es',
      entryFileNames: '[name].d.ts',
      chunkFileNames: 'shared-[hash].d.ts',
    },
    external: [/^node:/],
    plugins: [dts()],
  },
];
