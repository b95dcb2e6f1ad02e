// The loopback server the runtime checks' adapter talks to: it replays a recorded OpenAI stream for
// each API (Chat Completions and Responses), and knows what text each holds.
import { type FixtureServer, startFixtureServer } from '../../helpers/fixture-server';
import { readFixture } from '../../helpers/fixtures';

/** What `runChecks` receives as `fixtures`: where the recordings are served and the text of each. */
export interface FixtureSite {
  origin: string;
  /** The reply text each recording holds, by request path. */
  texts: Record<string, string>;
}

const recordings: Record<string, string> = {
  '/v1/chat/completions': 'streams/py01-text-basic.sse',
  '/v1/responses': 'responses/dd01-text-basic.sse',
};

/** The text one `data:` event adds: a Chat Completions chunk's content or a Responses text delta. */
function deltaText(event: { type?: string; delta?: string; choices?: { delta?: { content?: string } }[] }) {
  if (event.type !== undefined) return event.type === 'response.output_text.delta' ? (event.delta ?? '') : '';
  return event.choices?.[0]?.delta?.content ?? '';
}

/** Starts the server on 127.0.0.1; `close()` it after the checks. */
export async function startFixtureSite(): Promise<{ site: FixtureSite; server: FixtureServer }> {
  const server = await startFixtureServer((request) => {
    const recording = recordings[request.url];
    if (!recording)
      return { status: 404, headers: { 'content-type': 'text/plain' }, body: 'no recording here' };
    return { headers: { 'content-type': 'text/event-stream' }, body: readFixture(recording) };
  });
  const texts: Record<string, string> = {};
  for (const [path, recording] of Object.entries(recordings)) {
    texts[path] = readFixture(recording, 'utf8')
      .split('\n')
      .filter((line) => line.startsWith('data: {'))
      .map((line) => deltaText(JSON.parse(line.slice(6))))
      .join('');
  }
  return { site: { origin: server.origin, texts }, server };
}
