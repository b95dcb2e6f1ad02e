// The Vue app: its own state (theme, reply count) next to the chat. The runtime-only build is used
// because the template compiler needs eval, which the page's Content-Security-Policy forbids.
import { createApp, h, ref } from '/vendor/vue/dist/vue.runtime.esm-browser.prod.js';
import { ChatPanel } from './chat-panel.js';

const App = {
  setup() {
    const colorScheme = ref('auto');
    const replies = ref(0);
    const option = (value, label) => h('option', { value }, label);

    return () => [
      h('p', { class: 'toolbar' }, [
        h('label', { for: 'theme' }, 'Theme '),
        h(
          'select',
          {
            id: 'theme',
            value: colorScheme.value,
            onChange: (event) => {
              colorScheme.value = event.target.value;
            },
          },
          [option('auto', 'Follow the system'), option('light', 'Light'), option('dark', 'Dark')],
        ),
        h('span', { class: 'count', 'aria-live': 'polite' }, ` Replies so far: ${replies.value}`),
      ]),
      h(ChatPanel, {
        url: '/api/chat',
        colorScheme: colorScheme.value,
        onReply: () => {
          replies.value += 1;
        },
      }),
    ];
  },
};

createApp(App).mount('#app');
