import { createChatAdapter } from '../adapters';
import type { AdapterBuilder, ChatAdapter } from '../core/types';
import { createAiChat } from './builder';
import type { AiChat, AiChatProps } from './types';
import { EVENTS } from './validate';

const SCHEMES = ['light', 'dark', 'auto'] as const;

/** The `<ai-chat>` element's own API, besides its attributes. */
export interface AiChatElement extends HTMLElement {
  /** An adapter (or builder) to use instead of the `url` attribute. */
  adapter: ChatAdapter | AdapterBuilder | undefined;
  /** The mounted chat, once the element is connected and has an adapter or a `url`. */
  readonly chat: AiChat | undefined;
}

/**
 * Registers `<ai-chat>` (or `tagName`) and returns its class; calling it again returns the class already
 * registered. The chat renders in the element's light DOM, so page CSS and `querySelector` reach it.
 *
 * Attributes (observed, applied in place): `url` and `model` (a backend adapter from `createChatAdapter`),
 * `placeholder`, `color-scheme` (light | dark | auto), `assistant-name`. The `adapter` property takes any
 * adapter or builder instead. Chat events are dispatched on the element as non-bubbling CustomEvents with
 * the payload in `detail`, named in lower case: `ready`, `messagesent`, `messagestreamstarted`,
 * `messagereceived`, `error`, `predestroy`. The element is inline by default: give it
 * `display: block` and a height.
 */
export function defineAiChatElement(tagName = 'ai-chat'): CustomElementConstructor {
  const existing = customElements.get(tagName);
  if (existing) return existing;

  class ChatElement extends HTMLElement implements AiChatElement {
    static observedAttributes = ['url', 'model', 'placeholder', 'color-scheme', 'assistant-name'];
    private ownAdapter: ChatAdapter | AdapterBuilder | undefined;
    private mounted: AiChat | undefined;

    get adapter() {
      return this.ownAdapter;
    }
    set adapter(adapter) {
      this.ownAdapter = adapter;
      this.refresh(true);
    }
    get chat() {
      return this.mounted;
    }

    connectedCallback() {
      // A framework may set `adapter` before the element is defined; that own property hides the accessor.
      if (Object.hasOwn(this, 'adapter')) {
        const adapter = this.adapter;
        delete (this as { adapter?: unknown }).adapter;
        this.ownAdapter = adapter;
      }
      this.refresh(true);
    }
    disconnectedCallback() {
      // A framework moving the element disconnects and reconnects it at once; only a real removal unmounts.
      queueMicrotask(() => {
        if (this.isConnected) return;
        this.mounted?.unmount();
        this.mounted = undefined;
      });
    }
    attributeChangedCallback(name: string) {
      this.refresh(name === 'url' || name === 'model');
    }

    private props(withAdapter: boolean): AiChatProps {
      const attr = (name: string) => this.getAttribute(name) ?? undefined;
      const url = attr('url');
      const model = attr('model');
      const scheme = attr('color-scheme') as (typeof SCHEMES)[number];
      const name = attr('assistant-name');
      let adapter = this.ownAdapter;
      if (!adapter && url) {
        const backend = createChatAdapter().withUrl(url);
        adapter = model ? backend.withModel(model) : backend;
      }
      return {
        adapter: withAdapter ? adapter : undefined,
        composerOptions: { placeholder: attr('placeholder') },
        displayOptions: { colorScheme: SCHEMES.includes(scheme) ? scheme : 'auto' },
        personaOptions: { assistant: name === undefined ? undefined : { name } },
      };
    }

    private refresh(adapterChanged: boolean) {
      if (!this.isConnected) return;
      if (this.mounted) {
        this.mounted.updateProps(this.props(adapterChanged));
        return;
      }
      const { adapter, composerOptions, displayOptions, personaOptions } = this.props(true);
      if (!adapter) return;
      const chat = createAiChat()
        .withAdapter(adapter)
        .withComposerOptions(composerOptions!)
        .withDisplayOptions(displayOptions!)
        .withPersonaOptions(personaOptions!)
        .mount(this);
      for (const event of EVENTS) {
        chat.on(event, (detail) => this.dispatchEvent(new CustomEvent(event.toLowerCase(), { detail })));
      }
      this.mounted = chat;
    }
  }

  customElements.define(tagName, ChatElement);
  return ChatElement;
}
