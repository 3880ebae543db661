import { describe, expect, it } from 'vitest';
import { isLinkedinProfileUrl, isSendableLinkedinProfileUrl, linkedinUrlOrNull } from '../../../src/domain/lead.js';

describe('isSendableLinkedinProfileUrl (what HeyReach is sent)', () => {
  it.each(['https://www.linkedin.com/in/ann-example/', 'http://linkedin.com/in/ann', 'linkedin.com/in/ann', 'https://uk.linkedin.com/in/ann', 'HTTPS://WWW.LINKEDIN.COM/IN/Ann'])('accepts %j', (url) => {
    expect(isSendableLinkedinProfileUrl(url)).toBe(true);
  });

  it.each([
    'https://www.linkedin.com/in/ann/?trk=x',
    'https://www.linkedin.com/in/ann#about',
    'https://www.linkedin.com/in/ann/details',
    'https://www.linkedin.com/company/acme',
    'https://www.linkedin.com/in/',
    'https://mobile.linkedin.com/in/ann',
    'ftp://linkedin.com/in/ann',
    'https://example.com/in/ann',
    ' https://www.linkedin.com/in/ann',
  ])('refuses %j', (url) => {
    expect(isSendableLinkedinProfileUrl(url)).toBe(false);
  });
});

describe('isLinkedinProfileUrl (an import row identity)', () => {
  it.each(['https://www.linkedin.com/in/example-omar/', 'LinkedIn.com/in/Omar?trk=x', 'https://www.linkedin.com/in/omar/details/experience'])('accepts %j once normalised', (url) => {
    expect(isLinkedinProfileUrl(url)).toBe(true);
  });

  it.each(['https://example.com/profile', 'https://www.linkedin.com/company/acme', 'https://uk.linkedin.com/in/omar', 'linkedin.com/in/', '', null, undefined])('refuses %j', (url) => {
    expect(isLinkedinProfileUrl(url)).toBe(false);
  });
});

describe('linkedinUrlOrNull (a visitor page on linkedin.com)', () => {
  it('normalises any linkedin.com page, profile or not', () => {
    expect(linkedinUrlOrNull('https://www.LinkedIn.com/in/Maya/?trk=1')).toBe('linkedin.com/in/maya');
    expect(linkedinUrlOrNull('https://uk.linkedin.com/company/acme')).toBe('uk.linkedin.com/company/acme');
  });

  it.each(['https://example.com/maya', 'linkedin.com', '', null])('is null for %j', (url) => {
    expect(linkedinUrlOrNull(url)).toBeNull();
  });
});
