// Entry for the runtimes with a command line (Node, Deno, Bun): `<runtime> run-checks.mjs '<options JSON>'`.
// Prints the results as one JSON line; the exit code says whether all passed.
import { runChecks } from './checks.mjs';

// Deno has `Deno.args`; Node and Bun have `process.argv` (runtime, script, then the arguments).
const args = globalThis.Deno?.args ?? globalThis.process.argv.slice(2);
const results = await runChecks(JSON.parse(args[0]));
console.log(JSON.stringify(results));
const failed = results.some((result) => !result.ok);
if (globalThis.Deno) globalThis.Deno.exit(failed ? 1 : 0);
else globalThis.process.exit(failed ? 1 : 0);
