import type { Deliver } from '../core/chat-completion';
import type { ChatRequest } from '../core/chat-request';
import { ChatError, invalidConfig } from '../core/errors';
import { notify } from '../core/notify';
import { sendChatRequest } from '../core/send-chat-request';
import type {
  ChatAdapterExtras,
  DataTransferMode,
  StandardChatAdapter,
  StreamingAdapterObserver,
} from '../core/types';

/** Builds the request for one call; `stream` says which kind of body to ask for. */
type PlanRequest = (message: string, extras: ChatAdapterExtras, stream: boolean) => Promise<ChatRequest>;

/**
 * The adapter both builders create, on the one core request path. In batch mode `streamText` makes
 * one non-streaming request and delivers the whole reply as a single `next`.
 */
export function createStandardAdapter(mode: DataTransferMode, plan: PlanRequest): StandardChatAdapter {
  const stream = mode === 'stream';
  const run = (message: string, extras: ChatAdapterExtras = {}, onDelta: Deliver = () => {}) =>
    plan(message, extras, stream).then(
      (request) => sendChatRequest(request, onDelta),
      (error) => {
        throw error instanceof ChatError ? error : invalidConfig('The request could not be built');
      },
    );
  return Object.freeze({
    streamText(message: string, observer: StreamingAdapterObserver, extras?: ChatAdapterExtras): void {
      run(
        message,
        extras,
        (delta, reasoning) => stream && notify(observer, reasoning ? 'reasoning' : 'next', delta),
      ).then(
        (result) => {
          if (!stream && result.reasoning) notify(observer, 'reasoning', result.reasoning);
          if (!stream && result.text) notify(observer, 'next', result.text);
          notify(observer, 'complete', result);
        },
        (error: ChatError) => notify(observer, 'error', error),
      );
    },
    async batchText(message: string, extras?: ChatAdapterExtras): Promise<string> {
      return (await run(message, extras)).text;
    },
  });
}
