import type { Plugin } from 'esbuild';

export const root: string;
export function gzipSize(bytes: Uint8Array): number;
export function bundledSize(code: string, plugins?: Plugin[]): Promise<{ min: number; gzip: number }>;
export function kb(bytes: number): string;
export const chatwireFromDist: Plugin;
