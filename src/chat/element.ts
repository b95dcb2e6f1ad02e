import { createChatAdapter } from '../adapters';
import { ChatError, invalidConfig } from '../core/errors';
import type { AdapterBuilder, ChatAdapter } from '../core/types';
import { createAiChat } from './builder';
import type { ConversationStore } from './conversation/types';
import { webStorageStore } from './conversation/web-storage-store';
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
 * adapter or builder instead.
 *
 * Saved conversations: `store="session"` keeps the conversation in `sessionStorage` (a reload restores
 * it; it ends with the tab), `store="local"` in `localStorage` (it survives the browser), both through
 * `webStorageStore(storage, key)` with `key` from `store-key` (default `chatwire`; give each chat on a page
 * its own). Both are read when the chat mounts: a change applies when the element is next connected.
 * A value other than `session` or `local` is reported as an `error` event (code `invalid-config`), and a
 * storage the browser refuses (a sandboxed frame) as one with code `storage-error`; either way the chat
 * mounts and works without saving. Chat events are dispatched on the element as non-bubbling CustomEvents with
 * the payload in `detail`, named in lower case: `ready`, `messagesent`, `messagestreamstarted`,
 * `messagereceived`, `error`, `predestroy`. The element is inline by default: give it
 * `display: block` and a height.
 */
export function defineAiChatElement(tagName = 'ai-chat'): CustomElementConstructor {
  const existing = customElements.get(tagName);
  if (existing) return existing;

  class ChatElement extends HTMLElement implements AiChatElement {
    static observedAttributes = ['url', 'model', 'placeholder', 'color-scheme', 'assistant-name'];
    // `store` and `store-key` are not observed: they are read once, when the chat mounts.
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
      const store = this.store();
      let builder = createAiChat()
        .withAdapter(adapter)
        .withComposerOptions(composerOptions!)
        .withDisplayOptions(displayOptions!)
        .withPersonaOptions(personaOptions!);
      if (store && !(store instanceof ChatError)) builder = builder.withConversationStore(store);
      const chat = builder.mount(this);
      const dispatch = (event: string, detail: unknown) =>
        this.dispatchEvent(new CustomEvent(event.toLowerCase(), { detail }));
      for (const event of EVENTS) chat.on(event, (detail) => dispatch(event, detail));
      this.mounted = chat;
      if (store instanceof ChatError)
        dispatch('error', { code: store.code, message: store.message, error: store });
    }

    /** The store the `store` attribute asks for, or why there is none (reported, never thrown). */
    private store(): ConversationStore | ChatError | undefined {
      const kind = this.getAttribute('store');
      if (kind === null) return undefined;
      if (kind !== 'session' && kind !== 'local') {
        return invalidConfig(
          `<${this.localName} store="${kind}">: expected store="session" or store="local"`,
        );
      }
      try {
        // Reading `sessionStorage` throws where the browser refuses storage (a sandboxed frame).
        const storage = kind === 'session' ? sessionStorage : localStorage;
        return webStorageStore(storage, this.getAttribute('store-key') || 'chatwire');
      } catch (error) {
        return new ChatError('storage-error', `<${this.localName} store="${kind}">: no ${kind}Storage here`, {
          cause: error,
        });
      }
    }
  }

  try {
    customElements.define(tagName, ChatElement);
  } catch {
    // The browser's SyntaxError for a name the HTML standard does not allow (it needs a dash).
    throw invalidConfig(`defineAiChatElement: "${tagName}" is not a custom element name, e.g. 'ai-chat'.`);
  }
  return ChatElement;
}
