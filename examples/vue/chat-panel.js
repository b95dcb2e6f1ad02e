// A Vue component around createAiChat(): Vue owns the element, chatwire owns everything inside it.
import { createAiChat, createChatAdapter, webStorageStore } from '/dist/index.js';
import {
  defineComponent,
  h,
  onBeforeUnmount,
  onMounted,
  ref,
  watch,
} from '/vendor/vue/dist/vue.runtime.esm-browser.prod.js';

/** `<ChatPanel url color-scheme @reply>`: the chat, mounted once and updated in place. */
export const ChatPanel = defineComponent({
  name: 'ChatPanel',
  props: {
    url: { type: String, required: true },
    colorScheme: { type: String, default: 'auto' },
  },
  emits: ['reply'],
  setup(props, { emit }) {
    const host = ref(null);
    let chat;

    onMounted(() => {
      chat = createAiChat()
        .withAdapter(createChatAdapter().withUrl(props.url))
        .withPersonaOptions({ assistant: { name: 'Vue assistant', tagline: 'Mounted by a Vue component' } })
        .withComposerOptions({ placeholder: 'Ask anything…' })
        // The conversation model saves to sessionStorage: a reload brings the conversation back.
        .withConversationStore(webStorageStore(sessionStorage, 'chatwire-vue'))
        .withDisplayOptions({ colorScheme: props.colorScheme, height: '32rem' })
        .on('messageReceived', ({ message }) => emit('reply', message))
        .mount(host.value);
    });
    // A prop change reaches the mounted chat without remounting it (the conversation survives).
    watch(
      () => props.colorScheme,
      (colorScheme) => chat?.updateProps({ displayOptions: { colorScheme } }),
    );
    onBeforeUnmount(() => chat?.unmount());

    return () => h('div', { ref: host });
  },
});
