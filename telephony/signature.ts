import twilio from 'twilio';
import { env } from '@/env';

export const SIGNATURE_HEADER = 'x-twilio-signature';

/**
 * The URL Twilio requested, as it signed it: the public base URL plus the request's path and query.
 * Behind a proxy or tunnel the request's own host is not what Twilio saw, so it is never used.
 */
export function signedUrl(requestUrl: string, baseUrl = env.PUBLIC_BASE_URL): string {
  const url = new URL(requestUrl);
  return `${baseUrl.replace(/\/$/, '')}${url.pathname}${url.search}`;
}

/** True when `signature` is Twilio's HMAC of the URL and form parameters under the auth token. */
export function verifyTwilioSignature(
  signature: string | null | undefined,
  url: string,
  params: Record<string, string>,
  authToken = env.TWILIO_AUTH_TOKEN,
): boolean {
  if (signature === null || signature === undefined || signature === '') return false;
  return twilio.validateRequest(authToken, signature, url, params);
}

/** The signature Twilio would send for this request: for tests and the simulator. */
export function signTwilioRequest(url: string, params: Record<string, string>, authToken = env.TWILIO_AUTH_TOKEN): string {
  return twilio.getExpectedTwilioSignature(authToken, url, params);
}
