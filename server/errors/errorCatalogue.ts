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
  REORG_TOO_DEEP: {
    status: 503,
    retryable: false,
    message: {
      en: "Chain {chainId} reorganized below block {finalizedBlock}, deeper than the {reorgWindow}-block window; indexing halted at block {checkpointBlock}",
      "zh-CN": "链 {chainId} 的重组深于区块 {finalizedBlock}，超出 {reorgWindow} 个区块的窗口；索引已停在区块 {checkpointBlock}",
    },
  },
  BLOCK_HASH_MISMATCH: {
    status: 503,
    retryable: true,
    message: {
      en: "Block {blockNumber} changed while it was being read (expected {expectedHash}, got {actualHash})",
      "zh-CN": "区块 {blockNumber} 在读取期间发生变化（预期 {expectedHash}，实际 {actualHash}）",
    },
  },
  RPC_RANGE_REFUSED: {
    status: 502,
    retryable: false,
    message: {
      en: "The RPC node refused eth_getLogs even for the single block {blockNumber}",
      "zh-CN": "RPC 节点连单个区块 {blockNumber} 的 eth_getLogs 也拒绝执行",
    },
  },
  CHAIN_ID_MISMATCH: {
    status: 500,
    retryable: false,
    message: {
      en: "The RPC serves chain {actualChainId}, but the index was built from chain {expectedChainId}",
      "zh-CN": "RPC 提供的是链 {actualChainId}，但索引来自链 {expectedChainId}",
    },
  },
  CHECKPOINT_CONFLICT: {
    status: 409,
    retryable: true,
    message: {
      en: "Another indexer moved the checkpoint from block {expectedBlock} to {actualBlock}",
      "zh-CN": "另一个索引进程已将检查点从区块 {expectedBlock} 移到 {actualBlock}",
    },
  },
  TOKEN_NOT_FOUND: {
    status: 404,
    retryable: false,
    message: {
      en: "Token {tokenId} of collection {collection} is not indexed",
      "zh-CN": "未索引到合集 {collection} 的代币 {tokenId}",
    },
  },
  INTERNAL: {
    status: 500,
    retryable: false,
    message: { en: "Internal error", "zh-CN": "内部错误" },
  },
} as const satisfies Record<string, ErrorSpec>;

export type ErrorCode = keyof typeof errorCatalogue;
