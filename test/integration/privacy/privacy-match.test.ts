import { describe, expect, it } from 'vitest';
import { personalPhonesIn, personMatcher } from '../../../src/store/privacy-match.js';

const dana = personMatcher({
  emails: ['dana.whitfield@lumen.example.com'],
  linkedins: ['linkedin.com/in/example-dana'],
  phones: ['+1 (555) 010-2030'],
  names: ['Dana', 'Whitfield', 'Dana Whitfield'],
  ids: ['6f1c1e62-0000-4000-8000-000000000001'],
});

describe('finding one person in any text or JSON value', () => {
  it('finds the address in any case and URL-encoded, but not inside a longer address', () => {
    expect(dana.scrubText('From: DANA.Whitfield@Lumen.example.com, cc jo.dana.whitfield@lumen.example.com')).toBe('From: [erased], cc jo.dana.whitfield@lumen.example.com');
    expect(dana.scrubText('https://app.example.com/?lead=dana.whitfield%40lumen.example.com&x=1')).toBe('https://app.example.com/?lead=[erased]&x=1');
    expect(dana.mentions('dana.whitfield@lumen.example.com.mirror.example')).toBe(false);
    expect(dana.mentions('mailto:dana.whitfield@lumen.example.com.')).toBe(true);
  });

  it('takes out the whole LinkedIn URL however it is spelled, not a profile that only starts like it', () => {
    expect(dana.scrubText('a https://www.linkedin.com/in/Example-Dana/ b')).toBe('a [erased] b');
    expect(dana.scrubText('"https:\\/\\/uk.linkedin.com\\/in\\/example-dana"')).toBe('"[erased]"');
    expect(dana.scrubText('see linkedin.com/in/example-dana/details')).toBe('see [erased]/details');
    expect(dana.mentions('https://www.linkedin.com/in/example-danae')).toBe(false);
    expect(dana.mentions('https://www.linkedin.com/in/example-dana-2')).toBe(false);
  });

  it('finds the phone number however it is written, with or without the country code', () => {
    for (const written of ['+1 (555) 010-2030', '+15550102030', '555.010.2030', '(555) 010 2030', '15550102030']) expect(dana.scrubText(`call ${written} today`), written).toBe('call [erased] today');
    expect(dana.mentions('order 5550102030123')).toBe(false);
    expect(dana.scrubValue({ phone: 15550102030, count: 3 })).toEqual({ phone: '[erased]', count: 3 });
  });

  it('replaces names only inside what is already about the person, never inside an address', () => {
    // A text naming her by address: her name goes too.
    expect(dana.scrubText('Dana Whitfield <dana.whitfield@lumen.example.com> replied')).toBe('[erased] <[erased]> replied');
    // Her name alone is not enough to touch a text (another Dana).
    expect(dana.scrubText('Dana from Acme called')).toBe('Dana from Acme called');
    // In shared JSON, her entry (marked by her lead id or address) loses her name; the others keep theirs.
    expect(
      dana.scrubValue({
        drafts: [
          { leadId: '6f1c1e62-0000-4000-8000-000000000001', email: null, subject: 'Dana, a plan for Lumen' },
          { leadId: 'other', email: 'dana@other.example.com', subject: 'Dana, a plan for Other' },
        ],
      }),
    ).toEqual({
      drafts: [
        { leadId: '6f1c1e62-0000-4000-8000-000000000001', email: null, subject: '[erased], a plan for Lumen' },
        { leadId: 'other', email: 'dana@other.example.com', subject: 'Dana, a plan for Other' },
      ],
    });
    expect(dana.scrubText('dana@other.example.com wrote about dana.whitfield@lumen.example.com')).toBe('dana@other.example.com wrote about [erased]');
  });

  it('reads JSON through its escapes: an address after a newline is found in the decoded string', () => {
    const value = { reply_text: 'Thanks!\ndana.whitfield@lumen.example.com' };
    expect(dana.mentionsValue(value)).toBe(true);
    expect(dana.scrubValue(value)).toEqual({ reply_text: 'Thanks!\n[erased]' });
  });

  it('gives PostgreSQL a pre-filter that every match passes', () => {
    const pattern = new RegExp(dana.sqlPattern()!, 'i');
    for (const text of ['DANA.Whitfield@Lumen.example.com', 'dana.whitfield%40lumen.example.com', 'https:\\/\\/www.linkedin.com\\/in\\/example-dana', '+1 (555) 010-2030', '15550102030']) expect(pattern.test(text), text).toBe(true);
    expect(dana.sqlPattern(true)).toContain('6f1c1e62-0000-4000-8000-000000000001');
    expect(personMatcher({ emails: [], linkedins: [], phones: [], names: ['Dana'], ids: [] }).sqlPattern()).toBeNull();
  });
});

describe("a person's phone numbers in a provider record", () => {
  it('takes personal phone fields and leaves company, account and sender numbers alone', () => {
    expect(
      personalPhonesIn({
        apollo_search: { id: 'p1', phone_numbers: [{ raw_number: '+1 (555) 010-2030', sanitized_number: '+15550102030', type: 'mobile' }], organization: { phone: '+1 555 777 0000', primary_phone: { number: '+1 555 777 0001' } } },
        instantly: { phone: 15550109999, email_account: 'alex@outreach.example.com', sender_phone: '+1 555 444 0000', company_phone: '+1 555 333 0000', mobile: 'not a number', ext: '12345' },
      }).sort(),
    ).toEqual(['+1 (555) 010-2030', '+15550102030', '15550109999'].sort());
  });
});
