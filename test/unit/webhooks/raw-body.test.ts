import { describe, expect, it } from 'vitest';
import { readBody, storableJson } from '../../../src/webhooks/raw-body.js';

const read = (text: string) => readBody(Buffer.from(text, 'utf8'), text);

describe('readBody: a webhook body as the inbox keeps it', () => {
  it('a plain body is stored as parsed, without its raw text', () => {
    const body = read('{"event_type":"email_opened","lead_email":"a@x.example.com","n":[1,{"b":"é"}]}');
    expect(body).toMatchObject({ ok: true, keepRaw: false, json: { event_type: 'email_opened', n: [1, { b: 'é' }] } });
    expect(body.raw).toEqual({ text: '{"event_type":"email_opened","lead_email":"a@x.example.com","n":[1,{"b":"é"}]}', base64: null });
  });

  it.each([
    ['a NUL escape', '{"a":"x\\u0000y"}', { a: 'xy' }],
    ['a lone high surrogate escape', '{"a":"x\\ud800y"}', { a: 'x\uFFFDy' }],
    ['a lone low surrogate escape in a key', '{"\\uDC00k":1}', { '\uFFFDk': 1 }],
  ])('%s parses to storable text, and the raw text is kept', (_name, text, json) => {
    const body = read(text);
    expect(body).toMatchObject({ ok: true, keepRaw: true, json });
  });

  it('an escaped pair and an escaped backslash before u0000 are stored as they are', () => {
    expect(read('{"a":"\\ud83d\\ude00","b":"\\\\u0000"}')).toMatchObject({ ok: true, keepRaw: false, json: { a: '😀', b: '\\u0000' } });
  });

  it('the bytes that are not UTF-8 are kept as base64, and the parsed value walked', () => {
    const bytes = Buffer.concat([Buffer.from('{"a":"'), Buffer.from([0xff]), Buffer.from('"}')]);
    const body = readBody(bytes, bytes.toString('utf8'));
    expect(body.raw.base64).toBe(bytes.toString('base64'));
    expect(body).toMatchObject({ ok: true, keepRaw: true, json: { a: '\uFFFD' } });
  });

  it('a text handed over with a lone surrogate of its own (not the bytes) is walked', () => {
    const text = '{"a":"x\uD800"}';
    const body = readBody(Buffer.from('{"a":"x"}'), text);
    expect(body).toMatchObject({ ok: true, json: storableJson(JSON.parse(text)).value });
    expect(body.json).toEqual({ a: 'x\uFFFD' });
  });
});
