/**
 * Every failure the platform reports, once: a stable code (clients and tests match on it), the HTTP
 * status, whether retrying the same operation later can succeed, and the message in each language we
 * serve, with `{placeholders}` filled from the error's details.
 */
export interface ErrorSpec {
  status: number;
  retryable: boolean;
  message: { en: string; "zh-CN": string };
}

export const errorCatalogue = {
  VALIDATION_FAILED: {
    status: 400,
    retryable: false,
    message: { en: "Invalid {field}: {reason}", "zh-CN": "字段 {field} 无效：{reason}" },
  },
  NOT_FOUND: {
    status: 404,
    retryable: false,
    message: { en: "{resource} not found", "zh-CN": "未找到{resource}" },
  },
  UNAUTHENTICATED: {
    status: 401,
    retryable: false,
    message: { en: "A valid API key is required", "zh-CN": "需要有效的 API 密钥" },
  },
  FORBIDDEN: {
    status: 403,
    retryable: false,
    message: { en: "This key may not act on {resource}", "zh-CN": "此密钥无权操作{resource}" },
  },
  INVALID_JSON: {
    status: 400,
    retryable: false,
    message: { en: "The request body is not valid JSON", "zh-CN": "请求体不是有效的 JSON" },
  },
  PAYLOAD_TOO_LARGE: {
    status: 413,
    retryable: false,
    message: { en: "The request body exceeds {limit}", "zh-CN": "请求体超过 {limit}" },
  },
  ROUTE_NOT_FOUND: {
    status: 404,
    retryable: false,
    message: { en: "No route {method} {path}", "zh-CN": "没有路由 {method} {path}" },
  },
  EDITION_NOT_FOUND: {
    status: 404,
    retryable: false,
    message: { en: "Edition {editionId} of {collection} not found", "zh-CN": "未找到 {collection} 的版本 {editionId}" },
  },
  EDITION_SOLD_OUT: {
    status: 409,
    retryable: false,
    message: {
      en: "Edition {editionId} is sold out: {requested} requested, {remaining} left",
      "zh-CN": "版本 {editionId} 已售罄：请求 {requested} 个，剩余 {remaining} 个",
    },
  },
  EDITION_SEALED: {
    status: 409,
    retryable: false,
    message: { en: "Edition {editionId} is sealed", "zh-CN": "版本 {editionId} 已封版" },
  },
  COLLECTION_PAUSED: {
    status: 409,
    retryable: true,
    message: { en: "Collection {collection} is paused", "zh-CN": "合集 {collection} 已暂停" },
  },
  IDEMPOTENCY_KEY_REUSED: {
    status: 409,
    retryable: false,
    message: {
      en: "Idempotency-Key {key} was already used with a different request",
      "zh-CN": "Idempotency-Key {key} 已用于另一个不同的请求",
    },
  },
  METADATA_FROZEN: {
    status: 409,
    retryable: false,
    message: { en: "Edition {editionId}'s metadata is frozen", "zh-CN": "版本 {editionId} 的元数据已冻结" },
  },
  COLLECTION_NOT_PAUSED: {
    status: 409,
    retryable: false,
    message: { en: "Collection {collection} is not paused", "zh-CN": "合集 {collection} 未暂停" },
  },
  CONTRACT_REVERTED: {
    status: 422,
    retryable: false,
    message: { en: "The contract refused the call: {reason}", "zh-CN": "合约拒绝了调用：{reason}" },
  },
  RATE_LIMITED: {
    status: 429,
    retryable: true,
    message: {
      en: "Too many requests: at most {limit} per {windowSeconds} s; retry in {retryAfterSeconds} s",
      "zh-CN": "请求过多：每 {windowSeconds} 秒最多 {limit} 次；请在 {retryAfterSeconds} 秒后重试",
    },
  },
  CONFIG_INVALID: {
    status: 500,
    retryable: false,
    message: { en: "Configuration {field} is invalid: {reason}", "zh-CN": "配置项 {field} 无效：{reason}" },
  },
  DATABASE_UNAVAILABLE: {
    status: 503,
    retryable: true,
    message: { en: "The database is unavailable", "zh-CN": "数据库不可用" },
  },
  MIGRATION_FAILED: {
    status: 500,
    retryable: false,
    message: { en: "Database migration {migration} failed", "zh-CN": "数据库迁移 {migration} 失败" },
  },
  CHAIN_UNAVAILABLE: {
    status: 503,
    retryable: true,
    message: { en: "The chain's RPC endpoint is unavailable", "zh-CN": "区块链 RPC 节点不可用" },
  },
  CHAIN_START_FAILED: {
    status: 500,
    retryable: false,
    message: { en: "The local chain could not start: {reason}", "zh-CN": "本地链无法启动：{reason}" },
  },
  INTERNAL: {
    status: 500,
    retryable: false,
    message: { en: "Internal error", "zh-CN": "内部错误" },
  },
} as const satisfies Record<string, ErrorSpec>;

export type ErrorCode = keyof typeof errorCatalogue;
