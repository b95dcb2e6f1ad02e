import nodeResolve from '@rollup/plugin-node-resolve';
import terser from '@rollup/plugin-terser';
import typescript from '@rollup/plugin-typescript';
import { dts } from 'rollup-plugin-dts';

// eventsource-parser is bundled in: the published package has no runtime dependencies.
const ts = () =>
  typescript({ tsconfig: './tsconfig.json', include: ['src/**/*.ts'], noEmit: false, declaration: false });

export default [
  {
    input: { index: 'src/index.ts', conversation: 'src/conversation.ts', server: 'src/server/index.ts' },
    output: { dir: 'dist', format: 'es', entryFileNames: '[name].js', chunkFileNames: 'shared-[hash].js' },
    plugins: [nodeResolve(), ts()],
  },
  {
    input: 'src/index.ts',
    output: { file: 'dist/chatwire.iife.js', format: 'iife', name: 'Chatwire', plugins: [terser()] },
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
