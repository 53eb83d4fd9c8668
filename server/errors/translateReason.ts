import type { Locale } from "./VermilionError.js";

/**
 * The validation reasons our schemas write themselves ("must be at least 1"), in Chinese. zod's own
 * messages come translated from its zh-CN locale; these are the ones it cannot know. Each pattern
 * matches the whole English reason; `$1`… carry numbers and names over.
 */
const zhCNReasons: Array<[RegExp, string]> = [
  [/^must be an integer$/, "必须是整数"],
  [/^must be a number$/, "必须是数字"],
  [/^must be a positive integer$/, "必须是正整数"],
  [/^must be an integer from (\d+) to (\d+)$/, "必须是 $1 到 $2 之间的整数"],
  [/^must be at least (\d+) characters$/, "至少需要 $1 个字符"],
  [/^must be at most (\d+) characters$/, "最多 $1 个字符"],
  [/^must be at least (\d+)$/, "不能小于 $1"],
  [/^must be at most (\d+) \(100%\)$/, "不能大于 $1（即 100%）"],
  [/^must be at most (\d+)$/, "不能大于 $1"],
  [/^must not be empty$/, "不能为空"],
  [/^must be a 0x-prefixed 20-byte hex address$/, "必须是以 0x 开头的 20 字节十六进制地址"],
  [/^must be 0x followed by 64 hex digits$/, "必须是 0x 加 64 位十六进制数字"],
  [/^must be an? (issuer|key|job|batch) id \(UUID\)$/, "必须是 UUID 格式的标识"],
  [/^must be a URL$/, "必须是 URL"],
  [/^must be a BIP-39 English mnemonic \(12–24 words with a valid checksum\)$/, "必须是 BIP-39 英文助记词（12–24 个单词，校验和正确）"],
  [/^must be an amount in ether, e\.g\. 0\.05$/, "必须是以 ether 为单位的数额，如 0.05"],
  [/^must be above 0$/, "必须大于 0"],
  [/^must be an amount in gwei, e\.g\. 30 or 0\.05$/, "必须是以 gwei 为单位的数额，如 30 或 0.05"],
  [/^must be auto, eip1559, legacy or zero$/, "必须是 auto、eip1559、legacy 或 zero"],
  [/^must be unset or 0 with FEE_MODE=zero \(transactions are signed with zero fees\)$/, "在 FEE_MODE=zero 下必须不设置或为 0（交易以零费用签名）"],
  [/^must be unset with FEE_MODE=zero \(nothing is spent\)$/, "在 FEE_MODE=zero 下必须不设置（不会产生任何花费）"],
  [/^must be above 0 \(for a chain without fees set FEE_MODE=zero\)$/, "必须大于 0（无手续费的链请设置 FEE_MODE=zero）"],
  [/^must not be above ([A-Z_]+)$/, "不能大于 $1"],
  [/^must use (.+)$/, "必须使用 $1 协议"],
  [/^must be JSON$/, "必须是 JSON"],
  [/^must be valid percent-encoding$/, "必须是有效的百分号编码"],
  [/^must not contain a NUL character$/, "不能包含 NUL 字符"],
  [/^must be a complete body in its declared encoding$/, "必须是按所声明编码的完整请求体"],
  [/^must be nested at most (\d+) levels deep$/, "嵌套不能超过 $1 层"],
  [/^must be raw, car or absent$/, "必须是 raw、car 或省略"],
  [/^must be an absolute https: or http: URL$/, "必须是完整的 https: 或 http: URL"],
  [/^must not contain spaces or control characters$/, "不能包含空格或控制字符"],
  [/^must name a host$/, "必须包含主机名"],
  [/^must be letters and digits$/, "只能包含字母和数字"],
  [/^must be 1–100 letters, digits or \. : @ - _$/, "必须是 1–100 个字母、数字或 . : @ - _"],
  [
    /^must be <count>\/<window> such as 1200\/1m \(count at least 1, window 1s to 24h in ms, s, m or h\), or off$/,
    "必须是 <次数>/<时间窗> 形式，如 1200/1m（次数至少为 1，时间窗 1s 到 24h，单位 ms、s、m 或 h），或 off",
  ],
  [
    /^must be false, true, a hop count, or a comma list of IP addresses, CIDR ranges, loopback, linklocal or uniquelocal$/,
    "必须是 false、true、跳数，或以逗号分隔的 IP 地址、CIDR 网段、loopback、linklocal 或 uniquelocal",
  ],
  [/^must be free, hold or soulbound$/, "必须是 free、hold 或 soulbound"],
  [/^must be a positive integer when transferPolicy is hold$/, "transferPolicy 为 hold 时必须是正整数"],
  [/^must be absent or 0 unless transferPolicy is hold$/, "transferPolicy 不是 hold 时必须省略或为 0"],
  [/^must be an image$/, "必须是图片"],
  [/^must list at least one address$/, "至少要列出一个地址"],
  [/^must be at most (\d+) seconds ahead$/, "不能晚于当前时间 $1 秒以上"],
  [/^must be a unix time in seconds$/, "必须是以秒为单位的 Unix 时间"],
  [/^must be 0x-prefixed hex$/, "必须是以 0x 开头的十六进制"],
  [/^must be true or false$/, "必须是 true 或 false"],
  [/^must list at most (\d+) addresses$/, "最多列出 $1 个地址"],
  [/^must be (\d+), the platform's chain$/, "必须是本平台的链 $1"],
  [/^must be open, redeemed, cancelled, void or expired$/, "必须是 open、redeemed、cancelled、void 或 expired"],
  [/^must be queued, building, sending, completed or failed$/, "必须是 queued、building、sending、completed 或 failed"],
  [/^must be mint, airdrop or edition$/, "必须是 mint、airdrop 或 edition"],
  [
    /^must be at least (\d+) characters on a route whose answer holds a secret \(a random UUID will do\)$/,
    "在应答含有密钥的接口上至少需要 $1 个字符（随机 UUID 即可）",
  ],
  [/^must be a claim code \(20 characters of Crockford base32\)$/, "必须是领取码（20 个 Crockford base32 字符）"],
  [/^must be 16–64 letters, digits, - or _$/, "必须是 16–64 个字母、数字、- 或 _"],
  [/^must be in the future$/, "必须是将来的时间"],
  [/^must give exactly one of validForSeconds and expiresAt$/, "validForSeconds 与 expiresAt 必须且只能给出一个"],
  [/^must be an ISO 8601 date-time$/, "必须是 ISO 8601 日期时间"],
  [/^must be one of (.+)$/, "必须是以下之一：$1"],
];

/** `reason` in `locale` when we know it there; otherwise `reason` unchanged (English). */
export function translateReason(reason: string, locale: Locale): string {
  if (locale === "en") return reason;
  for (const [pattern, template] of zhCNReasons) {
    if (pattern.test(reason)) return reason.replace(pattern, template);
  }
  return reason;
}
