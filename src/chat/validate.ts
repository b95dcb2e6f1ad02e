import { invalidConfig } from '../core/errors';
import type { AdapterBuilder, ChatAdapter, ChatItem } from '../core/types';
import type { ConversationStore } from './conversation/types';
import type {
  AiChatEventName,
  ComposerOptions,
  ConversationOptions,
  DisplayOptions,
  MessageOptions,
  PersonaOptions,
} from './types';
import { type ChatStrings, englishStrings } from './view/strings';

// Option checks shared by the builder and `updateProps`: a bad value throws `invalid-config` at the call
// that passed it, never later while rendering.

type Check = (value: unknown) => boolean;

const isString: Check = (v) => typeof v === 'string';
const isBoolean: Check = (v) => typeof v === 'boolean';
const isFunction: Check = (v) => typeof v === 'function';
const oneOf =
  (...values: unknown[]): Check =>
  (v) =>
    values.includes(v);
const isSize: Check = (v) => (typeof v === 'number' && v >= 0 && Number.isFinite(v)) || isString(v);
const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** An avatar that is a URL must be one an `<img>` may load; `javascript:` and friends are refused. */
export const isImageUrl = (avatar: string): boolean =>
  /^(https?:|data:image\/|blob:|\/|\.\.?\/)/i.test(avatar);
const isAvatar: Check = (v) =>
  isString(v) && (isImageUrl(v as string) || !/^[a-z][\w+.-]*:/i.test(v as string));

// Plain objects and arrays are copied all the way down (functions are kept), so changing what was passed
// in afterwards reaches neither the builder nor a mounted chat.
const copy = (v: unknown): unknown =>
  Array.isArray(v)
    ? v.map(copy)
    : isObject(v)
      ? Object.fromEntries(Object.entries(v).map(([key, field]) => [key, copy(field)]))
      : v;

function checkFields<T>(what: string, value: unknown, checks: Record<string, Check>): T {
  if (!isObject(value)) throw invalidConfig(`${what} must be an object`);
  for (const [key, field] of Object.entries(value)) {
    const check = checks[key];
    if (!check) throw invalidConfig(`${what}: unknown option "${key}"`);
    if (field !== undefined && !check(field)) throw invalidConfig(`${what}: bad value for "${key}"`);
  }
  return Object.freeze(copy(value)) as T;
}

const persona = (what: string, checks: Record<string, Check>) => (v: unknown) => {
  const p = checkFields<{ name?: unknown }>(what, v, { name: isString, ...checks });
  if (!isString(p.name)) throw invalidConfig(`${what}.name must be a string`);
  return true;
};

const checkPersona = (v: unknown): PersonaOptions =>
  checkFields('withPersonaOptions', v, {
    assistant: persona('assistant', { avatar: isAvatar, tagline: isString }),
    user: persona('user', { avatar: isAvatar }),
  });

const isStarter: Check = (v) =>
  isObject(v) && isString(v.prompt) && (v.label === undefined || isString(v.label));

const checkConversation = (v: unknown): ConversationOptions =>
  checkFields('withConversationOptions', v, {
    historyPayloadSize: (n) => n === 'max' || (Number.isInteger(n) && (n as number) >= 0),
    conversationStarters: (s) => Array.isArray(s) && s.every(isStarter),
    layout: oneOf('bubbles', 'list'),
    autoScroll: isBoolean,
  });

const checkComposer = (v: unknown): ComposerOptions =>
  checkFields('withComposerOptions', v, {
    placeholder: isString,
    autoFocus: isBoolean,
    submitShortcut: oneOf('Enter', 'CommandEnter'),
    hideStopButton: isBoolean,
    disableSubmitButton: isBoolean,
  });

const checkDisplay = (v: unknown): DisplayOptions =>
  checkFields('withDisplayOptions', v, {
    colorScheme: oneOf('light', 'dark', 'auto'),
    themeId: (t) => isString(t) && /^[\w-]+$/.test(t as string),
    width: isSize,
    height: isSize,
  });

const checkMessage = (v: unknown): MessageOptions =>
  checkFields('withMessageOptions', v, {
    markdownLinkTarget: oneOf('blank', 'self'),
    showCodeBlockCopyButton: isBoolean,
    htmlSanitizer: isFunction,
    syntaxHighlighter: isFunction,
    mathRenderer: isFunction,
    actions: (a) => {
      checkFields('withMessageOptions.actions', a, {
        copy: isBoolean,
        regenerate: isBoolean,
        edit: isBoolean,
        feedback: isBoolean,
      });
      return true;
    },
  });

/** A partial strings table: known keys only, each a string (a typo would otherwise leave English). */
const checkStrings = (v: unknown): Partial<ChatStrings> =>
  checkFields(
    'withStrings',
    v,
    Object.fromEntries(Object.keys(englishStrings).map((key) => [key, isString])),
  );

function checkClassName(v: unknown): string {
  if (!isString(v)) throw invalidConfig('withClassName needs a string');
  return v as string;
}

/** The conversation a chat starts with, frozen. */
export function checkItems(v: unknown): readonly ChatItem[] {
  const ok = (i: unknown) =>
    isObject(i) && oneOf('user', 'assistant', 'system')(i.role) && isString(i.message);
  if (!Array.isArray(v) || !v.every(ok)) throw invalidConfig('withInitialConversation needs ChatItem[]');
  return Object.freeze(v.map((i: ChatItem) => Object.freeze({ role: i.role, message: i.message })));
}

/** A conversation store: an object with `load`, `save`, `list` and `remove`. */
export function checkStore(v: unknown): ConversationStore {
  const methods = ['load', 'save', 'list', 'remove'];
  if (!isObject(v) || !methods.every((name) => isFunction(v[name])))
    throw invalidConfig('withConversationStore needs an object with load, save, list and remove');
  return v as unknown as ConversationStore;
}

/** Accepts an adapter or a builder (whose `create()` runs now, so its own errors surface here). */
function checkAdapter(v: unknown): ChatAdapter {
  const isAdapter = (a: unknown): a is ChatAdapter =>
    isObject(a) && (isFunction(a.streamText) || isFunction(a.batchText));
  if (isAdapter(v)) return v;
  if (isObject(v) && isFunction(v.create)) {
    const created = (v as unknown as AdapterBuilder).create();
    if (isAdapter(created)) return created;
  }
  throw invalidConfig('withAdapter needs an object with streamText and/or batchText, or a builder');
}

/**
 * The check for each `AiChatProps` key, shared by `updateProps` and the builder, whose `with*` methods
 * are named after these keys (`withPersonaOptions` sets `personaOptions`).
 */
export const propChecks = {
  adapter: checkAdapter,
  personaOptions: checkPersona,
  conversationOptions: checkConversation,
  composerOptions: checkComposer,
  displayOptions: checkDisplay,
  messageOptions: checkMessage,
  className: checkClassName,
  strings: checkStrings,
};

/** Every event a chat emits (`<ai-chat>` re-dispatches each one). */
export const EVENTS: AiChatEventName[] = [
  'ready',
  'messageSent',
  'messageStreamStarted',
  'messageReceived',
  'error',
  'feedback',
  'preDestroy',
];

/** Throws `invalid-config` unless `event` is a chat event and `callback` a function. */
export function checkListener(event: unknown, callback: unknown): void {
  if (!EVENTS.includes(event as AiChatEventName)) throw invalidConfig(`unknown event "${String(event)}"`);
  if (!isFunction(callback)) throw invalidConfig('an event listener must be a function');
}
