/**
 * TwiML → verbs, the way Twilio reads a webhook answer. Pure and isomorphic: the simulator service
 * parses what the app's own webhooks return and the browser phone plays the verbs in order.
 * A small XML reader is enough here: TwiML is elements, attributes and text, no namespaces or DTDs.
 */

export interface XmlElement {
  name: string;
  attributes: Record<string, string>;
  children: XmlNode[];
}
export type XmlNode = XmlElement | string;

export class TwimlParseError extends Error {}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

export function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-fA-F]+|#\d+|[a-zA-Z]+);/g, (whole, name: string) => {
    if (name.startsWith('#x')) return String.fromCodePoint(parseInt(name.slice(2), 16));
    if (name.startsWith('#')) return String.fromCodePoint(parseInt(name.slice(1), 10));
    return ENTITIES[name] ?? whole;
  });
}

const ATTRIBUTE = /([A-Za-z_:][\w:.-]*)\s*=\s*("([^"]*)"|'([^']*)')/g;

/** Parses an XML document into its root element. Throws `TwimlParseError` on malformed input. */
export function parseXml(xml: string): XmlElement {
  const root: XmlElement = { name: '#document', attributes: {}, children: [] };
  const stack: XmlElement[] = [root];
  // The element text and children go to; the root stays at the bottom of the stack (closing it throws).
  const current = (): XmlElement => stack[stack.length - 1] ?? root;
  let i = 0;
  while (i < xml.length) {
    const lt = xml.indexOf('<', i);
    const text = xml.slice(i, lt === -1 ? xml.length : lt);
    if (text.length > 0) current().children.push(decodeEntities(text));
    if (lt === -1) break;
    if (xml.startsWith('<?', lt)) {
      i = closeAt(xml, '?>', lt);
    } else if (xml.startsWith('<!--', lt)) {
      i = closeAt(xml, '-->', lt);
    } else if (xml.startsWith('<![CDATA[', lt)) {
      const end = closeAt(xml, ']]>', lt);
      current().children.push(xml.slice(lt + 9, end - 3));
      i = end;
    } else if (xml.startsWith('</', lt)) {
      const end = closeAt(xml, '>', lt);
      const name = xml.slice(lt + 2, end - 1).trim();
      const open = stack.pop();
      if (!open || open === root || open.name !== name) throw new TwimlParseError(`unexpected </${name}>`);
      i = end;
    } else {
      const end = closeAt(xml, '>', lt);
      let inner = xml.slice(lt + 1, end - 1);
      const selfClosing = inner.endsWith('/');
      if (selfClosing) inner = inner.slice(0, -1);
      const match = /^[A-Za-z_][\w:.-]*/.exec(inner);
      if (!match) throw new TwimlParseError(`malformed tag at ${lt}`);
      const [name] = match;
      const attributes: Record<string, string> = {};
      for (const [, key, , doubleQuoted, singleQuoted] of inner.slice(name.length).matchAll(ATTRIBUTE)) {
        // The name group is not optional: it is there whenever the pattern matches.
        if (key !== undefined) attributes[key] = decodeEntities(doubleQuoted ?? singleQuoted ?? '');
      }
      const element: XmlElement = { name, attributes, children: [] };
      current().children.push(element);
      if (!selfClosing) stack.push(element);
      i = end;
    }
  }
  if (stack.length !== 1) throw new TwimlParseError(`<${current().name}> is not closed`);
  const elements = root.children.filter((c): c is XmlElement => typeof c !== 'string');
  const [element] = elements;
  if (elements.length !== 1 || element === undefined) throw new TwimlParseError('expected exactly one root element');
  return element;
}

function closeAt(xml: string, token: string, from: number): number {
  const at = xml.indexOf(token, from);
  if (at === -1) throw new TwimlParseError(`unterminated markup at ${from}`);
  return at + token.length;
}

// ---------------------------------------------------------------------------------------------

export interface SayVerb {
  verb: 'say';
  text: string;
  voice?: string;
  language?: string;
  loop: number;
}
export interface PlayVerb {
  verb: 'play';
  url: string;
  loop: number;
}
export interface PauseVerb {
  verb: 'pause';
  length: number;
}
export type PromptVerb = SayVerb | PlayVerb | PauseVerb;

export interface GatherVerb {
  verb: 'gather';
  input: ('dtmf' | 'speech')[];
  /** Seconds to wait for the first (and each further) key or word. */
  timeout: number;
  numDigits?: number;
  finishOnKey: string;
  /** Where the result goes; absent means the current document's URL. */
  action?: string;
  method: string;
  language?: string;
  hints?: string;
  speechTimeout?: string;
  /** Post even when nothing was entered; otherwise Twilio moves on to the next verb. */
  actionOnEmptyResult: boolean;
  prompts: PromptVerb[];
}
export interface EnqueueVerb {
  verb: 'enqueue';
  queue: string;
  waitUrl?: string;
  action?: string;
}
export interface DialVerb {
  verb: 'dial';
  number: string;
  action?: string;
  timeout: number;
}
export interface RedirectVerb {
  verb: 'redirect';
  url: string;
  method: string;
}
export interface MessageVerb {
  verb: 'message';
  body: string;
  to?: string;
  from?: string;
}
export interface SimpleVerb {
  verb: 'hangup' | 'leave' | 'reject';
}
/** A verb the simulator does not act on (e.g. `<Record>`); shown, then skipped. */
export interface UnknownVerb {
  verb: 'unknown';
  name: string;
}

export type TwimlVerb = PromptVerb | GatherVerb | EnqueueVerb | DialVerb | RedirectVerb | MessageVerb | SimpleVerb | UnknownVerb;

export interface TwimlDocument {
  kind: 'voice' | 'messaging';
  verbs: TwimlVerb[];
}

function textOf(element: XmlElement): string {
  return element.children
    .map((c) => (typeof c === 'string' ? c : textOf(c)))
    .join('')
    .trim();
}

function int(value: string | undefined, fallback: number): number {
  if (value === undefined || value.trim() === '') return fallback;
  const n = Number(value);
  return Number.isFinite(n) ? n : fallback;
}

function optional<K extends string>(key: K, value: string | undefined): Partial<Record<K, string>> {
  return value === undefined || value === '' ? {} : ({ [key]: value } as Record<K, string>);
}

function prompt(element: XmlElement): PromptVerb | undefined {
  const a = element.attributes;
  switch (element.name) {
    case 'Say':
      return { verb: 'say', text: textOf(element), loop: int(a.loop, 1), ...optional('voice', a.voice), ...optional('language', a.language) };
    case 'Play':
      return { verb: 'play', url: textOf(element), loop: int(a.loop, 1) };
    case 'Pause':
      return { verb: 'pause', length: int(a.length, 1) };
    default:
      return undefined;
  }
}

function verb(element: XmlElement): TwimlVerb {
  const a = element.attributes;
  const simple = prompt(element);
  if (simple) return simple;
  switch (element.name) {
    case 'Gather': {
      const input = (a.input ?? 'dtmf').split(/\s+/).filter((x): x is 'dtmf' | 'speech' => x === 'dtmf' || x === 'speech');
      const numDigits = a.numDigits === undefined ? undefined : int(a.numDigits, 0) || undefined;
      return {
        verb: 'gather',
        input: input.length > 0 ? input : ['dtmf'],
        timeout: int(a.timeout, 5),
        ...(numDigits !== undefined && { numDigits }),
        finishOnKey: a.finishOnKey ?? '#',
        ...optional('action', a.action),
        method: (a.method ?? 'POST').toUpperCase(),
        ...optional('language', a.language),
        ...optional('hints', a.hints),
        ...optional('speechTimeout', a.speechTimeout),
        actionOnEmptyResult: a.actionOnEmptyResult === 'true',
        prompts: element.children.flatMap((c) => (typeof c === 'string' ? [] : (prompt(c) ?? []))),
      };
    }
    case 'Enqueue':
      return { verb: 'enqueue', queue: textOf(element), ...optional('waitUrl', a.waitUrl), ...optional('action', a.action) };
    case 'Dial': {
      const nested = element.children.find((c): c is XmlElement => typeof c !== 'string');
      const number = nested ? textOf(nested) : textOf(element);
      return { verb: 'dial', number, timeout: int(a.timeout, 30), ...optional('action', a.action) };
    }
    case 'Redirect':
      return { verb: 'redirect', url: textOf(element), method: (a.method ?? 'POST').toUpperCase() };
    case 'Message': {
      const body = element.children.find((c): c is XmlElement => typeof c !== 'string' && c.name === 'Body');
      return { verb: 'message', body: body ? textOf(body) : textOf(element), ...optional('to', a.to), ...optional('from', a.from) };
    }
    case 'Hangup':
      return { verb: 'hangup' };
    case 'Leave':
      return { verb: 'leave' };
    case 'Reject':
      return { verb: 'reject' };
    default:
      return { verb: 'unknown', name: element.name };
  }
}

/** Parses a `<Response>` into its verbs; `kind` tells a messaging answer from a voice one. */
export function parseTwiml(xml: string): TwimlDocument {
  const root = parseXml(xml);
  if (root.name !== 'Response') throw new TwimlParseError(`expected <Response>, got <${root.name}>`);
  const verbs = root.children.flatMap((c) => (typeof c === 'string' ? [] : [verb(c)]));
  const messaging = verbs.length > 0 && verbs.every((v) => v.verb === 'message' || v.verb === 'redirect');
  return { kind: messaging ? 'messaging' : 'voice', verbs };
}
