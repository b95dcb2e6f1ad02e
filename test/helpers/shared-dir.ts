import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The workplace's `shared/` folder beside this repository: recorded OpenAI fixtures and OpenAI's API spec. */
export const SHARED_DIR = `${join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'shared')}/`;
