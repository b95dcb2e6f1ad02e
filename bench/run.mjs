// `npm run bench`: runs every bench/*.bench.mjs in name order and writes their sections to BENCHMARKS.md.
// A bench module's default export is an async function returning a markdown section (a "## " heading
// and a table); it compares chatwire with its peers inside the same run.
import { readdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));
const only = process.argv[2];
const files = (await readdir(here))
  .filter((f) => f.endsWith('.bench.mjs') && (!only || f.includes(only)))
  .sort();

const sections = [];
for (const file of files) {
  process.stdout.write(`bench: ${file}\n`);
  const run = (await import(new URL(file, import.meta.url))).default;
  const section = await run();
  process.stdout.write(`${section}\n`);
  sections.push(section.trim());
}

if (!only) {
  const header = [
    '# Benchmarks',
    '',
    `Written by \`npm run bench\` on ${new Date().toISOString().slice(0, 10)}: Node ${process.version},`,
    `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'CPU'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB.`,
    'Every number below was measured in the same run as the peers it is compared with.',
  ].join('\n');
  await writeFile(new URL('../BENCHMARKS.md', import.meta.url), `${header}\n\n${sections.join('\n\n')}\n`);
  process.stdout.write('bench: wrote BENCHMARKS.md\n');
}
