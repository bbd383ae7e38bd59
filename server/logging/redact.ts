import 'server-only';
/**
 * Log redaction: the launcher passes every line it prints (Next.js request logs, the worker,
 * Temporal) through here, so passwords, tokens, API keys, signatures and session cookies never
 * reach a terminal or a log file. Pure, so it is tested against known lines.
 */

export const REDACTED = '[redacted]';

/**
 * The one line printed on purpose with a secret in it: the password-reset link, for a local
 * database with no mailer (README, "Sign-in and roles"). The auth module writes it with this prefix.
 */
export const RESET_LINK_LOG_PREFIX = '[auth] password reset link for';

/** Parameter and field names whose values are credentials. */
const SENSITIVE_NAME = String.raw`[\w.-]*(?:password|passwd|secret|token|signature|session|credential|key)[\w.-]*`;
const QUOTED = String.raw`"[^"]*"|'[^']*'`;
const BARE = String.raw`[^\s&,;"'<>(){}\[\]\x1b]+`;

const RULES: [RegExp, string][] = [
  // Headers as `Name: value`, `name=value` or `'name': 'value'` (an inspected Headers object): the value is the rest.
  [new RegExp(String.raw`\b(authorization|proxy-authorization|cookie|set-cookie|x-twilio-signature|x-api-key)(["']?\s*[:=]\s*)(?:${QUOTED}|.*)`, 'gi'), `$1$2${REDACTED}`],
  [/\b(Bearer|Basic)\s+[\w.~+/=-]+/g, `$1 ${REDACTED}`],
  // Query parameters, logfmt and form fields: `password=…`, `?token=…`, `better-auth.session_token=…`.
  [new RegExp(String.raw`(?<![\w.-])(${SENSITIVE_NAME})(\s*=\s*)(?:${QUOTED}|${BARE})`, 'gi'), `$1$2${REDACTED}`],
  // JSON and inspected objects: `"password":"…"`, `password: '…'`.
  [new RegExp(String.raw`(?<![\w.-])(["']?)(${SENSITIVE_NAME})\1(\s*:\s*)(?:${QUOTED})`, 'gi'), `$1$2$1$3"${REDACTED}"`],
  // API keys (`sb_…`), reset tokens in link paths, passwords in connection URLs.
  [/\bsb_[\w-]{16,}/g, `sb_${REDACTED}`],
  [/(\/reset-password\/)[^\s/?#"']+/g, `$1${REDACTED}`],
  [/\b([a-z][a-z\d+.-]*:\/\/[^\s:/@]*):[^\s/@]+@/gi, `$1:${REDACTED}@`],
];

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * A redactor for log lines. `secrets` are values known to the process (auth token, signing
 * secret…): they are removed wherever they appear, raw or URL-encoded.
 */
export function createRedactor(secrets: readonly (string | undefined)[] = []): (line: string) => string {
  const known = [...new Set(secrets.filter((s): s is string => !!s && s.length >= 8).flatMap((s) => [s, encodeURIComponent(s)]))];
  const literal = known.length ? new RegExp(known.sort((a, b) => b.length - a.length).map(escape).join('|'), 'g') : undefined;
  return (line) => {
    if (line.trimStart().startsWith(RESET_LINK_LOG_PREFIX)) return line;
    let out = literal ? line.replace(literal, REDACTED) : line;
    for (const [pattern, replacement] of RULES) out = out.replace(pattern, replacement);
    return out;
  };
}
