// Bundled by esbuild into a test page: the real chat with a hand-driven adapter, plus the reasoning and
// sources components placed where the message view puts them (reasoning above the reply's text, sources
// under it), so Chromium and axe judge them with the real theme around them.
import { createAiChat } from '../../../src/chat/builder';
import { createReasoningView, type ReasoningView } from '../../../src/chat/view/reasoning';
import { createSourcesView, type SourceLink } from '../../../src/chat/view/sources';
import type { StreamingAdapterObserver } from '../../../src/core/types';

let observer: StreamingAdapterObserver | undefined;
let reasoning: ReasoningView | undefined;

const lastReply = () => [...document.querySelectorAll('[data-role="assistant"]')].pop()!;

const harness = {
  mount(colorScheme: 'light' | 'dark' | 'auto') {
    createAiChat()
      .withAdapter({ streamText: (_message, next) => (observer = next) })
      .withPersonaOptions({ assistant: { name: 'Reasoner' } })
      .withDisplayOptions({ colorScheme })
      .mount(document.getElementById('chat')!);
  },
  send(text: string) {
    const input = document.querySelector('textarea')!;
    input.value = text;
    input.dispatchEvent(new Event('input'));
    (document.querySelector('.cw-send') as HTMLButtonElement).click();
  },
  reason(delta: string) {
    if (!reasoning) {
      reasoning = createReasoningView();
      lastReply().querySelector('.cw-content')!.before(reasoning.element);
    }
    reasoning.append(delta);
  },
  finishReasoning(seconds: number) {
    reasoning?.finish(seconds * 1000);
  },
  text(delta: string) {
    observer!.next(delta);
  },
  complete(sources: SourceLink[]) {
    observer!.complete({ text: '', finishReason: 'stop' });
    const list = createSourcesView(sources);
    if (list) lastReply().querySelector('.cw-content')!.after(list);
  },
  typing() {
    const dots = document.createElement('div');
    dots.className = 'cw-typing';
    dots.setAttribute('role', 'img');
    dots.setAttribute('aria-label', 'Typing');
    dots.append(...[0, 1, 2].map(() => document.createElement('span')));
    lastReply().querySelector('.cw-content')!.append(dots);
    return dots;
  },
};

Object.assign(window, { harness });
export type Harness = typeof harness;
