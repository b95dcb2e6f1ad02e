import type { ChatRequest } from '../core/chat-request';
import { ChatError, invalidConfig } from '../core/errors';
import { sendChatRequest } from '../core/send-chat-request';
import type {
  ChatAdapterExtras,
  ChatResult,
  DataTransferMode,
  StandardChatAdapter,
  StreamingAdapterObserver,
} from '../core/types';

/** Builds the request for one call; `stream` says which kind of body to ask for. */
export type PlanRequest = (
  message: string,
  extras: ChatAdapterExtras,
  stream: boolean,
) => Promise<ChatRequest>;

// A throwing observer is the caller's bug; it must not turn into a second terminal call or an
// unhandled rejection, so it is reported the way the platform reports uncaught errors.
function report(error: unknown): void {
  const reportError = (globalThis as { reportError?: (error: unknown) => void }).reportError;
  if (reportError) reportError(error);
  else console.error('chatwire: an observer callback threw', error);
}

function notify<T>(
  observer: StreamingAdapterObserver,
  method: 'next' | 'complete' | 'error',
  value: T,
): void {
  try {
    (observer[method] as (value: T) => void)(value);
  } catch (error) {
    report(error);
  }
}

async function run(
  plan: PlanRequest,
  message: string,
  extras: ChatAdapterExtras | undefined,
  stream: boolean,
  onDelta: (text: string) => void,
): Promise<ChatResult> {
  let request: ChatRequest;
  try {
    request = await plan(message, extras ?? {}, stream);
  } catch (error) {
    throw error instanceof ChatError ? error : invalidConfig('The request could not be built');
  }
  return sendChatRequest(request, onDelta);
}

/**
 * The adapter both builders create, on the one core request path. In batch mode `streamText` makes
 * one non-streaming request and delivers the whole reply as a single `next`.
 */
export function createStandardAdapter(mode: DataTransferMode, plan: PlanRequest): StandardChatAdapter {
  const stream = mode === 'stream';
  return Object.freeze({
    streamText(message: string, observer: StreamingAdapterObserver, extras?: ChatAdapterExtras): void {
      run(plan, message, extras, stream, (delta) => stream && notify(observer, 'next', delta)).then(
        (result) => {
          if (!stream && result.text) notify(observer, 'next', result.text);
          notify(observer, 'complete', result);
        },
        (error: ChatError) => notify(observer, 'error', error),
      );
    },
    async batchText(message: string, extras?: ChatAdapterExtras): Promise<string> {
      return (await run(plan, message, extras, stream, () => {})).text;
    },
  });
}
