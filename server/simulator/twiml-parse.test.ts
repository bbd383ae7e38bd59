import twilio from 'twilio';
import { describe, expect, it } from 'vitest';
import { renderVoiceReply } from '@/telephony/twiml';
import { parseTwiml, parseXml, TwimlParseError } from './twiml-parse';

describe('parseTwiml', () => {
  it('reads what the runtime renders: Say, Gather with nested Say, Enqueue', () => {
    const xml = renderVoiceReply(
      {
        verbs: [
          { verb: 'say', text: 'Hello Alice & Bob <3', language: 'en-US', pauseAfter: 1 },
          {
            verb: 'gather',
            input: 'dtmf speech',
            timeout: 7,
            numDigits: 1,
            hints: ['billing', 'support'],
            language: 'zh-CN',
            actionUrl: '/api/twilio/gather?seq=2',
            prompt: [{ verb: 'say', text: 'Press 1 for billing.' }],
          },
          { verb: 'enqueue', queue: 'billing', waitUrl: '/api/twilio/wait?seq=3', actionUrl: '/api/twilio/gather?seq=3&kind=queue' },
        ],
      },
      'https://sb.example.com',
    );
    const doc = parseTwiml(xml);
    expect(doc.kind).toBe('voice');
    expect(doc.verbs).toEqual([
      { verb: 'say', text: 'Hello Alice & Bob <3', language: 'en-US', loop: 1 },
      { verb: 'pause', length: 1 },
      {
        verb: 'gather',
        input: ['dtmf', 'speech'],
        timeout: 7,
        numDigits: 1,
        finishOnKey: '#',
        action: 'https://sb.example.com/api/twilio/gather?seq=2',
        method: 'POST',
        language: 'cmn-Hans-CN',
        hints: 'billing, support',
        speechTimeout: 'auto',
        actionOnEmptyResult: true,
        prompts: [{ verb: 'say', text: 'Press 1 for billing.', loop: 1 }],
      },
      {
        verb: 'enqueue',
        queue: 'billing',
        waitUrl: 'https://sb.example.com/api/twilio/wait?seq=3',
        action: 'https://sb.example.com/api/twilio/gather?seq=3&kind=queue',
      },
    ]);
  });

  it('applies Twilio defaults to a bare Gather', () => {
    const doc = parseTwiml('<Response><Gather><Say>Hi</Say></Gather></Response>');
    expect(doc.verbs[0]).toEqual({
      verb: 'gather',
      input: ['dtmf'],
      timeout: 5,
      finishOnKey: '#',
      method: 'POST',
      actionOnEmptyResult: false,
      prompts: [{ verb: 'say', text: 'Hi', loop: 1 }],
    });
  });

  it('reads Dial (plain and nested Number), Hangup, Pause, Leave, Redirect, Reject and unknown verbs', () => {
    const response = new twilio.twiml.VoiceResponse();
    response.dial('+15005550006');
    response.dial({ action: '/after', timeout: 12 }).number('+8613812345678');
    response.pause({ length: 3 });
    response.redirect({ method: 'GET' }, '/api/twilio/voice?again=1');
    response.leave();
    response.hangup();
    response.reject();
    response.record();
    expect(parseTwiml(response.toString()).verbs).toEqual([
      { verb: 'dial', number: '+15005550006', timeout: 30 },
      { verb: 'dial', number: '+8613812345678', timeout: 12, action: '/after' },
      { verb: 'pause', length: 3 },
      { verb: 'redirect', url: '/api/twilio/voice?again=1', method: 'GET' },
      { verb: 'leave' },
      { verb: 'hangup' },
      { verb: 'reject' },
      { verb: 'unknown', name: 'Record' },
    ]);
  });

  it('reads a messaging answer, with and without <Body>, and an empty one', () => {
    const response = new twilio.twiml.MessagingResponse();
    response.message('您好 — thanks, we got it');
    response.message({ to: '+15005550001' }, 'Second');
    const doc = parseTwiml(response.toString());
    expect(parseTwiml('<Response><Message><Body>Nested</Body></Message></Response>').verbs).toEqual([{ verb: 'message', body: 'Nested' }]);
    expect(doc.kind).toBe('messaging');
    expect(doc.verbs).toEqual([
      { verb: 'message', body: '您好 — thanks, we got it' },
      { verb: 'message', body: 'Second', to: '+15005550001' },
    ]);
    expect(parseTwiml(new twilio.twiml.MessagingResponse().toString())).toEqual({ kind: 'voice', verbs: [] });
  });

  it('decodes entities, CDATA and comments, with single-quoted attributes', () => {
    const doc = parseTwiml(`<?xml version="1.0"?><!-- hi --><Response><Say voice='alice' loop="2">A &amp; B &#65;&#x42; <![CDATA[<raw>]]></Say></Response>`);
    expect(doc.verbs).toEqual([{ verb: 'say', text: 'A & B AB <raw>', voice: 'alice', loop: 2 }]);
  });

  it('refuses malformed or non-TwiML documents', () => {
    expect(() => parseTwiml('<Response><Say>Hi</Response>')).toThrow(TwimlParseError);
    expect(() => parseTwiml('<Response><Say>Hi</Say>')).toThrow(/not closed/);
    expect(() => parseTwiml('<html><body/></html>')).toThrow(/expected <Response>/);
    expect(() => parseTwiml('not xml')).toThrow(TwimlParseError);
    expect(() => parseXml('<a></a><b></b>')).toThrow(/one root/);
  });
});
