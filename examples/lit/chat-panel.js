// <chat-panel url color-scheme>: a LitElement that hosts the chat. Lit renders the container once;
// chatwire owns everything inside it, so Lit re-renders never touch the conversation.
import { createAiChat, createChatAdapter } from 'chatwire';
import { css, html, LitElement } from 'lit';

class ChatPanel extends LitElement {
  static properties = {
    url: {},
    colorScheme: { attribute: 'color-scheme' },
  };

  // The page sizes the element; the chat fills it.
  static styles = css`
    :host {
      display: block;
    }
    .chat {
      height: 100%;
    }
  `;

  #chat;

  constructor() {
    super();
    this.url = '/api/chat';
    this.colorScheme = 'auto';
  }

  render() {
    return html`<div class="chat"></div>`;
  }

  updated(changed) {
    if (!this.#chat) {
      this.#mount();
      return;
    }
    if (changed.has('url')) this.#chat.updateProps({ adapter: createChatAdapter().withUrl(this.url) });
    if (changed.has('colorScheme')) {
      this.#chat.updateProps({ displayOptions: { colorScheme: this.colorScheme } });
    }
  }

  connectedCallback() {
    super.connectedCallback();
    // Moved in the DOM: Lit does not render again, so mount here.
    if (this.hasUpdated && !this.#chat) this.#mount();
  }

  disconnectedCallback() {
    super.disconnectedCallback();
    this.#chat?.unmount();
    this.#chat = undefined;
  }

  #mount() {
    this.#chat = createAiChat()
      .withAdapter(createChatAdapter().withUrl(this.url))
      .withPersonaOptions({ assistant: { name: 'Lit assistant', tagline: 'Hosted by a LitElement' } })
      .withComposerOptions({ placeholder: 'Ask anything…' })
      .withDisplayOptions({ colorScheme: this.colorScheme })
      .mount(this.renderRoot.querySelector('.chat'));
  }
}

customElements.define('chat-panel', ChatPanel);
