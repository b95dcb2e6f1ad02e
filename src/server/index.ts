// The Node/edge entry: the proxy handler, the node:http adapter and the offline demo model.
export type { FetchHandler } from './handler';
export type { JsonErrorBody } from './json-error';
export { toNodeHandler } from './node-handler';
export { createOfflineModel, type OfflineModelOptions } from './offline-model';
export { createOpenAiProxy, type OpenAiProxyOptions } from './proxy';
export {
  createMemoryRateLimiter,
  type MemoryRateLimiterOptions,
  type RateLimiter,
  type WindowCount,
} from './rate-limit';
export {
  createRedisRateLimiter,
  type RedisCommandClient,
  type RedisRateLimiterOptions,
} from './redis-rate-limiter';
