/**
 * Every failure the platform reports, once: a stable code (clients and tests match on it), the HTTP
 * status, whether retrying the same operation later can succeed, and the message in each language we
 * serve, with `{placeholders}` filled from the error's details.
 */
export interface ErrorSpec {
  status: number;
  retryable: boolean;
  message: { en: string; "zh-CN": string };
  /**
   * What a client is told instead of `message`, when `message` quotes another system's own words
   * (a remote store's error text): those go to the logs only.
   */
  clientMessage?: { en: string; "zh-CN": string };
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
  IDEMPOTENCY_REQUEST_IN_PROGRESS: {
    status: 409,
    retryable: true,
    message: {
      en: "A request with Idempotency-Key {key} is still running; retry in {retryAfterSeconds} s for its answer",
      "zh-CN": "使用 Idempotency-Key {key} 的请求仍在处理中；请在 {retryAfterSeconds} 秒后重试以获取其结果",
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
  CONTENT_TYPE_UNSUPPORTED: {
    status: 415,
    retryable: false,
    message: { en: "Send the request as {expected}", "zh-CN": "请以 {expected} 格式发送请求" },
  },
  RATE_LIMITED: {
    status: 429,
    retryable: true,
    message: {
      en: "Too many requests under the {limitName} limit: at most {limit} per {windowSeconds} s; retry in {retryAfterSeconds} s",
      "zh-CN": "请求过多（{limitName} 限额）：每 {windowSeconds} 秒最多 {limit} 次；请在 {retryAfterSeconds} 秒后重试",
    },
  },
  CONFIG_INVALID: {
    status: 500,
    retryable: false,
    message: { en: "Configuration {field} is invalid: {reason}", "zh-CN": "配置项 {field} 无效：{reason}" },
    clientMessage: { en: "The server's configuration is invalid", "zh-CN": "服务器配置无效" },
  },
  DATABASE_UNAVAILABLE: {
    status: 503,
    retryable: true,
    message: { en: "The database is unavailable", "zh-CN": "数据库不可用" },
  },
  LEASE_LOST: {
    status: 503,
    retryable: true,
    message: {
      en: "This instance no longer holds the {lease} lease (epoch {epoch})",
      "zh-CN": "本实例已不再持有 {lease} 租约（纪元 {epoch}）",
    },
  },
  MIGRATION_FAILED: {
    status: 500,
    retryable: false,
    message: { en: "Database migration {migration} failed", "zh-CN": "数据库迁移 {migration} 失败" },
  },
  ISSUER_KEY_REVOKED: {
    status: 409,
    retryable: true,
    message: {
      en: "The operating key {operatingKey} no longer holds the issuing role on {collection}: the collection's admin revoked it; grant it again to resume (accepted work waits)",
      "zh-CN": "运营密钥 {operatingKey} 已不再持有合集 {collection} 的发行角色：合集管理员已撤销；重新授予后继续（已受理的任务将等待）",
    },
  },
  ADMIN_IN_ISSUER_WALLET: {
    status: 409,
    retryable: false,
    message: {
      en: "The admin of {collection} is the issuer's own wallet {admin}: send {action} from that wallet",
      "zh-CN": "合集 {collection} 的管理员是发行方自己的钱包 {admin}：请用该钱包发送 {action}",
    },
  },
  ISSUER_GAS_BUDGET_EXCEEDED: {
    status: 429,
    retryable: true,
    message: {
      en: "Issuer {issuerId} has used its gas budget ({spentWei} of {budgetWei} wei within {windowHours} h); its work waits until the window moves on or the budget is raised",
      "zh-CN": "发行方 {issuerId} 的燃料预算已用完（{windowHours} 小时内已用 {spentWei} / {budgetWei} wei）；其任务将等待时间窗口推移或预算提高",
    },
  },
  GAS_FUNDING_EXHAUSTED: {
    status: 503,
    retryable: true,
    message: {
      en: "The platform's funding key {funder} cannot pay for gas: it needs more funds",
      "zh-CN": "平台的燃料资金账户 {funder} 余额不足，无法支付燃料费",
    },
  },
  FEE_CAP_BELOW_MARKET: {
    status: 503,
    retryable: true,
    message: {
      en: "The chain asks {marketWei} wei per gas ({fee}), above the cap of {capWei} wei set by {variable}; the transaction waits until the fee falls or the cap is raised",
      "zh-CN": "链上当前费用为每单位燃料 {marketWei} wei（{fee}），高于 {variable} 设定的上限 {capWei} wei；交易将等待费用回落或上限提高",
    },
  },
  FEE_BUMP_CAPPED: {
    status: 503,
    retryable: true,
    message: {
      en: "Transaction {txHash} (nonce {nonce}) is not mined at {paidWei} wei per gas; a replacement needs at least {neededWei} and the cap is {capWei}: it waits as it is until it is mined or the cap is raised",
      "zh-CN": "交易 {txHash}（nonce {nonce}）以每单位燃料 {paidWei} wei 尚未上链；替换交易至少需要 {neededWei} wei，而上限为 {capWei} wei：它将原样等待上链或上限提高",
    },
  },
  GAS_BUDGET_HOUR_SPENT: {
    status: 503,
    retryable: true,
    message: {
      en: "The platform's gas budget for this hour is spent ({spentWei} of {budgetWei} wei; this transaction needs up to {neededWei}); sending resumes at {resetsAt}",
      "zh-CN": "平台本小时的燃料预算已用完（已用 {spentWei} / {budgetWei} wei；此交易最多需要 {neededWei} wei）；将于 {resetsAt} 恢复发送",
    },
  },
  ISSUER_SIGNATURE_EXPIRED: {
    status: 400,
    retryable: false,
    message: {
      en: "The signed {statement} expired at {deadline} (unix seconds); sign it again with a later deadline",
      "zh-CN": "已签名的 {statement} 已于 {deadline}（Unix 秒）过期；请用更晚的截止时间重新签名",
    },
  },
  ISSUER_SIGNATURE_INVALID: {
    status: 400,
    retryable: false,
    message: {
      en: "The signature is not {account}'s signature of this {statement}",
      "zh-CN": "该签名不是 {account} 对此 {statement} 的签名",
    },
  },
  ISSUER_ADDRESS_TAKEN: {
    status: 409,
    retryable: false,
    message: {
      en: "The address {address} is already an issuer's or the platform's key",
      "zh-CN": "地址 {address} 已是某个发行方或平台的密钥",
    },
  },
  CUSTODY_ALREADY_SELF: {
    status: 409,
    retryable: false,
    message: {
      en: "Issuer {issuerId} already holds custody: its collections' admin is its own wallet {address}",
      "zh-CN": "发行方 {issuerId} 已自行托管：其合集的管理员是它自己的钱包 {address}",
    },
  },
  CHAIN_UNAVAILABLE: {
    status: 503,
    retryable: true,
    message: { en: "The chain's RPC endpoint is unavailable", "zh-CN": "区块链 RPC 节点不可用" },
  },
  CHAIN_TRANSACTION_DROPPED: {
    status: 503,
    retryable: true,
    message: {
      en: "The node dropped transaction {txHash} before it was mined: nothing happened on chain; send the request again",
      "zh-CN": "节点在打包前丢弃了交易 {txHash}：链上未发生任何变化，请重新发送请求",
    },
  },
  CHAIN_START_FAILED: {
    status: 500,
    retryable: false,
    message: { en: "The local chain could not start: {reason}", "zh-CN": "本地链无法启动：{reason}" },
    clientMessage: { en: "The local chain could not start", "zh-CN": "本地链无法启动" },
  },
  REORG_TOO_DEEP: {
    status: 503,
    retryable: false,
    message: {
      en: "Chain {chainId} reorganized below block {finalizedBlock}, deeper than the {reorgWindow}-block window; indexing halted at block {checkpointBlock}",
      "zh-CN": "链 {chainId} 的重组深于区块 {finalizedBlock}，超出 {reorgWindow} 个区块的窗口；索引已停在区块 {checkpointBlock}",
    },
  },
  CHAIN_BLOCK_HASH_MISMATCH: {
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
  // Content layer (server/storage): IPFS content, media and metadata.
  CONTENT_NOT_FOUND: {
    status: 404,
    retryable: false,
    message: { en: "No content for {cid} in this store", "zh-CN": "此存储中没有 {cid} 的内容" },
  },
  PATH_NOT_FOUND: {
    status: 404,
    retryable: false,
    message: { en: "No entry {path} under {cid}", "zh-CN": "{cid} 下没有条目 {path}" },
  },
  INVALID_CID: {
    status: 400,
    retryable: false,
    message: { en: "Not a valid CID: {cid}", "zh-CN": "不是有效的 CID：{cid}" },
  },
  CID_NOT_SERVED: {
    status: 400,
    retryable: false,
    message: {
      en: "This gateway serves blocks hashed with sha2-256 from its store, and files and CARs of raw and dag-pb only; {cid} is {codec} with {hash}",
      "zh-CN": "本网关只从存储中提供以 sha2-256 哈希的区块，文件与 CAR 仅限 raw 与 dag-pb；{cid} 是 {codec}，哈希为 {hash}",
    },
  },
  INVALID_RANGE: {
    status: 416,
    retryable: false,
    message: { en: "Range {range} cannot be satisfied for {size} bytes", "zh-CN": "范围 {range} 无法满足（共 {size} 字节）" },
  },
  UNSUPPORTED_CODEC: {
    status: 422,
    retryable: false,
    message: { en: "Codec {codec} is not supported here", "zh-CN": "此处不支持编解码器 {codec}" },
  },
  UNSUPPORTED_HASH: {
    status: 422,
    retryable: false,
    message: { en: "Multihash code {code} is not supported here", "zh-CN": "此处不支持多重哈希代码 {code}" },
  },
  NOT_A_FILE: {
    status: 400,
    retryable: false,
    message: { en: "{cid} is a {type}, not a file", "zh-CN": "{cid} 是 {type}，不是文件" },
  },
  PIN_INCOMPLETE: {
    status: 409,
    retryable: false,
    message: { en: "Cannot pin {cid}: block {missing} is missing", "zh-CN": "无法固定 {cid}：缺少区块 {missing}" },
  },
  BLOCK_HASH_MISMATCH: {
    status: 422,
    retryable: false,
    message: { en: "Block {cid} does not hash to its CID", "zh-CN": "区块 {cid} 的哈希与其 CID 不符" },
  },
  CAR_INVALID: {
    status: 400,
    retryable: false,
    message: { en: "Not a valid CAR: {reason}", "zh-CN": "不是有效的 CAR：{reason}" },
  },
  CID_MISMATCH: {
    status: 502,
    retryable: false,
    message: { en: "The IPFS node returned {remoteCid}, the local import computed {localCid}", "zh-CN": "IPFS 节点返回 {remoteCid}，本地导入计算得到 {localCid}" },
  },
  IPFS_NODE_UNAVAILABLE: {
    status: 503,
    retryable: true,
    message: { en: "The IPFS node failed: {reason}", "zh-CN": "IPFS 节点出错：{reason}" },
    clientMessage: { en: "The IPFS store is unavailable; retry later", "zh-CN": "IPFS 存储不可用，请稍后重试" },
  },
  // Remote pinning (server/storage/pinning/): recorded on a pin's row and shown in the edition view, never
  // a request's answer; the statuses say which side failed.
  PINNING_SERVICE_UNAVAILABLE: {
    status: 503,
    retryable: true,
    message: { en: "The pinning service is unreachable or failing: {reason}", "zh-CN": "固定服务不可达或出错：{reason}" },
    clientMessage: { en: "The pinning service is unavailable; pinning is retried", "zh-CN": "固定服务不可用，将重试固定" },
  },
  PINNING_SERVICE_UNAUTHORIZED: {
    status: 502,
    retryable: false,
    message: {
      en: "The pinning service refused the access token (HTTP {status}); check PINNING_SERVICE_TOKEN",
      "zh-CN": "固定服务拒绝了访问令牌（HTTP {status}）；请检查 PINNING_SERVICE_TOKEN",
    },
  },
  PINNING_SERVICE_REJECTED: {
    status: 502,
    retryable: false,
    message: { en: "The pinning service refused (HTTP {status}): {reason}", "zh-CN": "固定服务拒绝了请求（HTTP {status}）：{reason}" },
    clientMessage: { en: "The pinning service refused the request", "zh-CN": "固定服务拒绝了请求" },
  },
  PINNING_SERVICE_PIN_FAILED: {
    status: 502,
    retryable: true,
    message: { en: "The pinning service could not pin {cid}: {reason}", "zh-CN": "固定服务未能固定 {cid}：{reason}" },
    clientMessage: { en: "The pinning service could not pin the content; pinning is retried", "zh-CN": "固定服务未能固定内容，将重试" },
  },
  MEDIA_EMPTY: {
    status: 400,
    retryable: false,
    message: { en: "The media file is empty", "zh-CN": "媒体文件为空" },
  },
  MEDIA_TYPE_UNSUPPORTED: {
    status: 415,
    retryable: false,
    message: { en: "Media type not accepted ({detected}); allowed: PNG, JPEG, WebP, GIF, MP4, WebM, MP3, GLB", "zh-CN": "不接受此媒体类型（{detected}）；允许：PNG、JPEG、WebP、GIF、MP4、WebM、MP3、GLB" },
  },
  MEDIA_ACTIVE_CONTENT: {
    status: 415,
    retryable: false,
    message: { en: "The media contains markup or script ({marker})", "zh-CN": "媒体包含标记或脚本（{marker}）" },
  },
  MEDIA_TRUNCATED: {
    status: 422,
    retryable: false,
    message: { en: "The {mediaType} file is truncated: {reason}", "zh-CN": "{mediaType} 文件不完整：{reason}" },
  },
  MEDIA_MALFORMED: {
    status: 422,
    retryable: false,
    message: { en: "The {mediaType} file is malformed: {reason}", "zh-CN": "{mediaType} 文件格式错误：{reason}" },
  },
  MEDIA_TOO_LARGE: {
    status: 413,
    retryable: false,
    message: { en: "The {mediaType} file is over the {limitBytes}-byte limit", "zh-CN": "{mediaType} 文件超过 {limitBytes} 字节的上限" },
  },
  MEDIA_DECLARED_SIZE_TOO_LARGE: {
    status: 422,
    retryable: false,
    message: {
      en: "The {mediaType} file declares {declared} ({value}), over the limit of {limit}",
      "zh-CN": "{mediaType} 文件声明的{declared}（{value}）超过上限 {limit}",
    },
  },
  MEDIA_DECODE_BUDGET_EXCEEDED: {
    status: 422,
    retryable: false,
    message: { en: "Checking the {mediaType} file went over its budget of {budget}", "zh-CN": "检查 {mediaType} 文件超出了 {budget} 的预算" },
  },
  UPLOADS_BUSY: {
    status: 503,
    retryable: true,
    message: {
      en: "Too many uploads in progress; retry in {retryAfterSeconds} s",
      "zh-CN": "正在进行的上传过多；请在 {retryAfterSeconds} 秒后重试",
    },
  },
  METADATA_INVALID: {
    status: 400,
    retryable: false,
    message: { en: "Invalid edition metadata: {reason}", "zh-CN": "版本元数据无效：{reason}" },
  },
  EDITION_BUDGET_EXCEEDED: {
    status: 413,
    retryable: false,
    message: {
      en: "The edition is over its {limit} budget: {requested} requested, at most {max}",
      "zh-CN": "版本超出 {limit} 预算：请求 {requested}，上限 {max}",
    },
  },
  BUNDLE_INCOMPLETE: {
    status: 422,
    retryable: false,
    message: {
      en: "The provenance bundle does not hold the answer to {question}",
      "zh-CN": "溯源包中没有 {question} 的答案",
    },
  },
  BUNDLE_INVALID: {
    status: 422,
    retryable: false,
    message: { en: "Not a Vermilion provenance bundle: {reason}", "zh-CN": "不是 Vermilion 溯源包：{reason}" },
  },
  VERIFICATION_BUSY: {
    status: 429,
    retryable: true,
    message: {
      en: "You already have {limit} verifications running or waiting; retry in {retryAfterSeconds} s",
      "zh-CN": "您已有 {limit} 个验证正在运行或排队；请在 {retryAfterSeconds} 秒后重试",
    },
  },
  VERIFICATION_QUEUE_FULL: {
    status: 503,
    retryable: true,
    message: {
      en: "The verification queue is full ({queued} waiting); retry in {retryAfterSeconds} s",
      "zh-CN": "验证队列已满（{queued} 个排队中）；请在 {retryAfterSeconds} 秒后重试",
    },
  },
  VERIFICATION_JOB_NOT_FOUND: {
    status: 404,
    retryable: false,
    message: { en: "Verification job {jobId} not found", "zh-CN": "未找到验证任务 {jobId}" },
  },
  VERIFICATION_INTERRUPTED: {
    status: 503,
    retryable: true,
    message: {
      en: "Verification job {jobId} stopped when the instance running it did; start it again",
      "zh-CN": "运行验证任务 {jobId} 的实例已停止，任务随之中断；请重新发起",
    },
  },
  // Vouchers (issue 19): links, the relay, cancellation.
  VOUCHER_NOT_FOUND: {
    status: 404,
    retryable: false,
    message: { en: "No voucher {nonce} of collection {collection}", "zh-CN": "合集 {collection} 没有兑换券 {nonce}" },
  },
  VOUCHER_ALREADY_REDEEMED: {
    status: 409,
    retryable: false,
    message: { en: "Voucher {nonce} was already redeemed", "zh-CN": "兑换券 {nonce} 已兑换过" },
  },
  VOUCHER_EXPIRED: {
    status: 410,
    retryable: false,
    message: {
      en: "The voucher expired at {deadline} (unix seconds)",
      "zh-CN": "兑换券已于 {deadline}（Unix 秒）过期",
    },
  },
  VOUCHER_SIGNER_NOT_ISSUER: {
    status: 409,
    retryable: false,
    message: {
      en: "The voucher's signer {signer} does not hold the collection's issuing role",
      "zh-CN": "兑换券的签名者 {signer} 不持有该合集的发行角色",
    },
  },
  INTERNAL: {
    status: 500,
    retryable: false,
    message: { en: "Internal error", "zh-CN": "内部错误" },
  },
  VOUCHER_CANCELLED: {
    status: 409,
    retryable: false,
    message: {
      en: "Voucher {nonce} of {collection} was cancelled by its issuer and can never be redeemed",
      "zh-CN": "{collection} 的兑换券 {nonce} 已被发行方作废，永远无法兑换",
    },
  },
  CLAIM_CODE_NOT_FOUND: {
    status: 404,
    retryable: false,
    message: { en: "No such claim code; check it was typed in full", "zh-CN": "没有这个领取码；请检查是否完整输入" },
  },
  CLAIM_CODE_HELD: {
    status: 409,
    retryable: true,
    message: {
      en: "This claim code is being claimed on another device until {heldUntil}",
      "zh-CN": "此领取码正在另一台设备上领取，保留至 {heldUntil}",
    },
  },
  CLAIM_CODE_USED: {
    status: 409,
    retryable: false,
    message: { en: "This claim code has already been claimed for another address", "zh-CN": "此领取码已被领取到另一个地址" },
  },
  CLAIM_CODE_EXPIRED: {
    status: 410,
    retryable: false,
    message: { en: "This claim code expired at {expiresAt}", "zh-CN": "此领取码已于 {expiresAt} 过期" },
  },
  CLAIM_CODE_CANCELLED: {
    status: 410,
    retryable: false,
    message: { en: "This claim code was cancelled by its issuer", "zh-CN": "此领取码已被发行方作废" },
  },
} as const satisfies Record<string, ErrorSpec>;

export type ErrorCode = keyof typeof errorCatalogue;
