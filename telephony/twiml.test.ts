import { describe, expect, it } from 'vitest';
import { holdFromWaitUrl, replyUrls } from './replies';
import { absoluteUrl, fallbackVoiceTwiml, renderMessagingReply, renderVoiceReply, unknownNumberTwiml } from './twiml';

const BASE = 'https://sb.example.com';
const HEAD = '<?xml version="1.0" encoding="UTF-8"?>';

describe('renderVoiceReply', () => {
  it('renders says, pauses and a gather that posts back on timeout', () => {
    const xml = renderVoiceReply(
      {
        verbs: [
          { verb: 'say', text: 'Hello & welcome', voice: 'Polly.Joanna', language: 'en-US', pauseAfter: 1 },
          {
            verb: 'gather',
            input: 'dtmf speech',
            timeout: 5,
            numDigits: 1,
            finishOnKey: '',
            hints: ['billing', '账单'],
            language: 'zh-CN',
            actionUrl: replyUrls.gather(3),
            prompt: [{ verb: 'say', text: '请按1', language: 'zh-CN', voice: 'Polly.Zhiyu' }],
          },
        ],
      },
      BASE,
    );
    expect(xml).toBe(
      `${HEAD}<Response><Say voice="Polly.Joanna" language="en-US">Hello &amp; welcome</Say><Pause length="1"/>` +
        '<Gather input="dtmf speech" action="https://sb.example.com/api/twilio/gather?seq=3" method="POST" actionOnEmptyResult="true" timeout="5" numDigits="1" finishOnKey="" speechTimeout="auto" hints="billing, 账单" language="cmn-Hans-CN">' +
        '<Say voice="Polly.Zhiyu" language="zh-CN">请按1</Say></Gather></Response>',
    );
  });

  it('leaves speech settings off a keypad-only gather', () => {
    const xml = renderVoiceReply({ verbs: [{ verb: 'gather', input: 'dtmf', timeout: 7, hints: ['x'], actionUrl: replyUrls.gather(0), prompt: [] }] }, BASE);
    expect(xml).toContain('<Gather input="dtmf" action="https://sb.example.com/api/twilio/gather?seq=0" method="POST" actionOnEmptyResult="true" timeout="7"/>');
  });

  it('renders enqueue with absolute wait and action URLs, dial, leave, redirect and hangup', () => {
    const xml = renderVoiceReply(
      {
        verbs: [
          { verb: 'enqueue', queue: 'billing', waitUrl: replyUrls.wait(2, 1_800_000_000_000, { verb: 'say', text: 'Hold on & relax' }), actionUrl: replyUrls.queueAction(2) },
          { verb: 'dial', number: '+15005550199' },
          { verb: 'leave' },
          { verb: 'redirect', url: '/api/twilio/voice' },
          { verb: 'pause', length: 3 },
          { verb: 'hangup' },
        ],
      },
      BASE,
    );
    expect(xml).toBe(
      `${HEAD}<Response>` +
        '<Enqueue waitUrl="https://sb.example.com/api/twilio/wait?seq=2&amp;until=1800000000000&amp;say=%7B%22verb%22%3A%22say%22%2C%22text%22%3A%22Hold%20on%20%26%20relax%22%7D" waitUrlMethod="POST" action="https://sb.example.com/api/twilio/gather?seq=2&amp;kind=queue" method="POST">billing</Enqueue>' +
        '<Dial>+15005550199</Dial><Leave/><Redirect method="POST">https://sb.example.com/api/twilio/voice</Redirect><Pause length="3"/><Hangup/></Response>',
    );
  });

  it('keeps absolute URLs and joins paths to the base', () => {
    expect(absoluteUrl('/api/x', 'https://a.example/')).toBe('https://a.example/api/x');
    expect(absoluteUrl('https://b.example/y', 'https://a.example')).toBe('https://b.example/y');
  });
});

describe('fixed answers', () => {
  it('apologises and dials the fallback number when one is configured, else hangs up', () => {
    expect(fallbackVoiceTwiml('+15005550199')).toContain('<Dial>+15005550199</Dial>');
    const noNumber = fallbackVoiceTwiml(undefined);
    expect(noNumber).toContain("We're sorry, we can't take your call right now.");
    expect(noNumber).toContain('<Hangup/>');
    expect(noNumber).not.toContain('<Dial');
  });

  it('answers unknown numbers politely', () => {
    expect(unknownNumberTwiml()).toContain('<Say language="en-US">Sorry, this number is not in service. Goodbye.</Say><Hangup/>');
  });

  it('renders an empty or one-message messaging response', () => {
    expect(renderMessagingReply()).toBe(`${HEAD}<Response/>`);
    expect(renderMessagingReply('Hi <there>')).toBe(`${HEAD}<Response><Message>Hi &lt;there&gt;</Message></Response>`);
  });
});

describe('hold wait URLs', () => {
  it('carry the deadline and the message, and refuse what they cannot read', () => {
    const url = new URL(replyUrls.wait(4, 1_800_000_000_000, { verb: 'say', text: '请稍候 & hold', language: 'zh-CN' }), BASE);
    expect(holdFromWaitUrl(url.searchParams)).toEqual({ until: 1_800_000_000_000, message: { verb: 'say', text: '请稍候 & hold', language: 'zh-CN' } });
    expect(holdFromWaitUrl(new URLSearchParams('seq=4'))).toBeNull();
    expect(holdFromWaitUrl(new URLSearchParams('seq=4&until=abc&say=%7B%7D'))).toBeNull();
    expect(holdFromWaitUrl(new URLSearchParams('until=5&say=not-json'))).toBeNull();
    expect(holdFromWaitUrl(new URLSearchParams(`until=5&say=${encodeURIComponent('{"verb":"dial","text":"x"}')}`))).toBeNull();
  });
});
