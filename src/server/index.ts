// The Node/edge entry: the proxy handler, the node:http adapter and the offline demo model.

export type { ProxyApi } from './api-route';
export type { Identify, TrustProxy } from './client-identity';
export type { BudgetOptions, RateLimitOptions } from './client-limits';
export type { ConnectionInfo, FetchHandler } from './handler';
export type { JsonErrorBody } from './json-error';
export { type NodeHandlerOptions, toNodeHandler } from './node-handler';
export { createOfflineModel, type OfflineModelOptions } from './offline-model';
export { createOpenAiProxy, type OpenAiProxy, type OpenAiProxyOptions, type UsageEvent } from './proxy';
export {
  type BudgetReservation,
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
export type { RelayOutcome } from './relay-stream';
export type { ReasoningEffort } from './request-fields';
export type { UsageReport } from './usage';
