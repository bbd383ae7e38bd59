import twilio from 'twilio';
import { env } from '@/env';
import type { Language } from '@/nodes/sdk';
import type { SayVerb, Verb, VoiceReply } from './replies';

type VoiceResponse = InstanceType<typeof twilio.twiml.VoiceResponse>;
type GatherAttributes = NonNullable<Parameters<VoiceResponse['gather']>[0]>;
type SayAttributes = Parameters<VoiceResponse['say']>[0];
type PauseAttributes = NonNullable<Parameters<VoiceResponse['pause']>[0]>;

/** Twilio's speech recognizer names Mandarin `cmn-Hans-CN`; `<Say>` takes `zh-CN`. */
const GATHER_LANGUAGE: Record<Language, NonNullable<GatherAttributes['language']>> = { 'en-US': 'en-US', 'zh-CN': 'cmn-Hans-CN' };

/** Makes a reply's path absolute against the public URL, which is what Twilio requests and signs. */
export function absoluteUrl(pathOrUrl: string, baseUrl = env.PUBLIC_BASE_URL): string {
  return /^https?:\/\//.test(pathOrUrl) ? pathOrUrl : `${baseUrl.replace(/\/$/, '')}${pathOrUrl.startsWith('/') ? '' : '/'}${pathOrUrl}`;
}

interface SayTarget {
  say(attributes: SayAttributes, message: string): unknown;
  pause(attributes?: PauseAttributes): unknown;
}

function appendSay(target: SayTarget, verb: SayVerb) {
  const attributes: SayAttributes = {};
  if (verb.voice !== undefined) attributes.voice = verb.voice as SayAttributes['voice'];
  if (verb.language !== undefined) attributes.language = verb.language as SayAttributes['language'];
  target.say(attributes, verb.text);
  if (verb.pauseAfter !== undefined && verb.pauseAfter > 0) target.pause({ length: verb.pauseAfter });
}

function appendVerb(response: VoiceResponse, verb: Verb, baseUrl: string) {
  switch (verb.verb) {
    case 'say':
      appendSay(response, verb);
      return;
    case 'gather': {
      const usesSpeech = verb.input !== 'dtmf';
      const gather = response.gather({
        input: verb.input.split(' ') as NonNullable<GatherAttributes['input']>,
        action: absoluteUrl(verb.actionUrl, baseUrl),
        method: 'POST',
        // A timeout posts back too, so the workflow (not Twilio) decides what silence means.
        actionOnEmptyResult: true,
        timeout: verb.timeout,
        ...(verb.numDigits !== undefined && { numDigits: verb.numDigits }),
        ...(verb.finishOnKey !== undefined && { finishOnKey: verb.finishOnKey }),
        ...(usesSpeech && { speechTimeout: 'auto' }),
        ...(usesSpeech && verb.hints !== undefined && verb.hints.length > 0 && { hints: verb.hints.join(', ') }),
        ...(verb.language !== undefined && { language: GATHER_LANGUAGE[verb.language] }),
      });
      for (const prompt of verb.prompt) appendSay(gather, prompt);
      return;
    }
    case 'enqueue':
      response.enqueue({ waitUrl: absoluteUrl(verb.waitUrl, baseUrl), waitUrlMethod: 'POST', ...(verb.actionUrl !== undefined && { action: absoluteUrl(verb.actionUrl, baseUrl), method: 'POST' }) }, verb.queue);
      return;
    case 'dial':
      response.dial(verb.number);
      return;
    case 'pause':
      response.pause({ length: verb.length });
      return;
    case 'redirect':
      response.redirect({ method: 'POST' }, absoluteUrl(verb.url, baseUrl));
      return;
    case 'hangup':
      response.hangup();
      return;
    case 'leave':
      response.leave();
      return;
    default: {
      const unknown: never = verb;
      throw new Error(`unknown verb ${JSON.stringify(unknown)}`);
    }
  }
}

/** Renders a workflow's reply as TwiML with the twilio package. */
export function renderVoiceReply(reply: VoiceReply, baseUrl = env.PUBLIC_BASE_URL): string {
  const response = new twilio.twiml.VoiceResponse();
  for (const verb of reply.verbs) appendVerb(response, verb, baseUrl);
  return response.toString();
}

/** An SMS webhook answer: replies go out through the telephony port, so usually empty. */
export function renderMessagingReply(text?: string): string {
  const response = new twilio.twiml.MessagingResponse();
  if (text !== undefined && text !== '') response.message(text);
  return response.toString();
}

export const FALLBACK_APOLOGY = "We're sorry, we can't take your call right now. Please try again later.";
export const FALLBACK_TRANSFER = "We're sorry, we're having trouble. Please hold while we connect you.";
export const UNKNOWN_NUMBER_MESSAGE = 'Sorry, this number is not in service. Goodbye.';

/** When Temporal or the database cannot answer in time: an apology, and a dial when a fallback number is set. */
export function fallbackVoiceTwiml(fallbackNumber = env.TWILIO_FALLBACK_NUMBER): string {
  const verbs: Verb[] = fallbackNumber
    ? [{ verb: 'say', text: FALLBACK_TRANSFER, language: 'en-US' }, { verb: 'dial', number: fallbackNumber }]
    : [{ verb: 'say', text: FALLBACK_APOLOGY, language: 'en-US' }, { verb: 'hangup' }];
  return renderVoiceReply({ verbs });
}

export function unknownNumberTwiml(): string {
  return renderVoiceReply({ verbs: [{ verb: 'say', text: UNKNOWN_NUMBER_MESSAGE, language: 'en-US' }, { verb: 'hangup' }] });
}
