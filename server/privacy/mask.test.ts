import { describe, expect, it } from 'vitest';
import { containsContactData, maskEmail, maskIdentity, maskPhone, maskText } from './mask';
import { protectForViewer, redact } from './protect';

describe('masking', () => {
  it('masks phone numbers by country', () => {
    expect(maskPhone('+8613812345678')).toBe('+86 138****5678');
    expect(maskPhone('+15005550001')).toBe('+1 500***0001');
    expect(maskPhone('+447911123456')).toBe('+44 791***3456');
    expect(maskPhone('+85291234567')).toBe('+852 912*4567');
    expect(maskPhone('13812345678')).toBe('138****5678');
  });

  it('masks emails, keeping the domain', () => {
    expect(maskEmail('alice@example.com')).toBe('a***e@example.com');
    expect(maskEmail('wangwei@example.cn')).toBe('w***i@example.cn');
    expect(maskEmail('al@x.cn')).toBe('a***@x.cn');
    expect(maskIdentity('member', 'M-1001')).toBe('**1001');
  });

  it('masks contact data inside free text but leaves ids and dates alone', () => {
    const text = 'Call me on +86 138 1234 5678 or 13812345678, mail wangwei@example.cn. Order 550e8400-e29b-41d4-a716-446655440000 on 2025-03-01.';
    const masked = maskText(text);
    expect(masked).not.toContain('5678 or 138123');
    expect(masked).toContain('138****5678');
    expect(masked).toContain('w***i@example.cn');
    expect(masked).toContain('550e8400-e29b-41d4-a716-446655440000');
    expect(masked).toContain('2025-03-01');
    expect(containsContactData(masked)).toBe(false);
    expect(containsContactData(text)).toBe(true);
  });

  it('redacts nested output by field and by content, and only for masked roles', () => {
    const at = new Date('2025-01-01T00:00:00Z');
    const output = {
      id: 'c0a80101-0000-4000-8000-000000000001',
      identities: [
        { kind: 'phone', value: '+15005550001' },
        { kind: 'email', value: 'alice@example.com' },
      ],
      interactions: [{ fromNumber: '+15005550001', toNumber: '+15005550100', startedAt: at, valueScore: 0.9 }],
      messages: [{ body: 'my number is +15005550001' }],
    };
    const masked = redact(output);
    expect(masked.identities).toEqual([
      { kind: 'phone', value: '+1 500***0001' },
      { kind: 'email', value: 'a***e@example.com' },
    ]);
    expect(masked.interactions[0]).toEqual({ fromNumber: '+1 500***0001', toNumber: '+1 500***0100', startedAt: at, valueScore: 0.9 });
    expect(masked.messages[0]?.body).toBe('my number is +1 500***0001');
    expect(masked.id).toBe(output.id);
    expect(protectForViewer({ role: 'agent' }, output)).toBe(output);
    expect(protectForViewer({ role: 'designer' }, output)).toEqual(masked);
    expect(protectForViewer(undefined, output)).toEqual(masked);
  });
});
