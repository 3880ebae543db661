import { describe, expect, it } from 'vitest';
import { cleanReply, htmlToText, MAX_CLEAN_CHARS } from '../../../../src/domain/replies/index.js';

describe('cleanReply: quoted history', () => {
  it('cuts at an "On ... wrote:" header, also when the client wrapped it over lines', () => {
    expect(cleanReply('Works for me.\n\nOn Mon, Jan 12, 2026 at 9:00 AM Sam <sam@caio.io> wrote:\n> Tuesday at 2pm?')).toBe('Works for me.');
    expect(cleanReply('Works for me.\n\nOn Mon, Jan 12, 2026 at 9:00 AM Sam Lee <\nsam@caio.io> wrote:\n\n> Unsubscribe here')).toBe('Works for me.');
  });

  it('cuts at the French, German and Spanish forms of the header', () => {
    expect(cleanReply("D'accord.\nLe lun. 12 janv. 2026 à 09:00, Sam <sam@caio.io> a écrit :\n> Bonjour")).toBe("D'accord.");
    expect(cleanReply('Gerne.\nAm Mo., 12. Jan. 2026 um 09:00 Uhr schrieb Sam <sam@caio.io>:\n> Hallo')).toBe('Gerne.');
    expect(cleanReply('Vale.\nEl lun, 12 ene 2026 a las 9:00, Sam (<sam@caio.io>) escribió:\n> Hola')).toBe('Vale.');
  });

  it('drops ">" lines wherever they are', () => {
    expect(cleanReply('> quoted line\nmy answer\n> another')).toBe('my answer');
  });

  it('cuts at Outlook separators and header blocks', () => {
    expect(cleanReply('No thanks.\n\n-----Original Message-----\nFrom: Sam\nLet us talk Tuesday at 2')).toBe('No thanks.');
    expect(cleanReply('No thanks.\n\n________________________________\nFrom: Sam Lee <sam@caio.io>\nSent: Monday\nTo: x\n\nInterested?')).toBe('No thanks.');
    expect(cleanReply('No thanks.\n\nFrom: Sam Lee <sam@caio.io>\nSent: Monday, January 12, 2026 9:00 AM\nTo: Ann\nSubject: Hi')).toBe('No thanks.');
    expect(cleanReply('See below\n\n---------- Forwarded message ---------\nFrom: Sam\nDate: Mon\nHi')).toBe('See below');
  });

  it('keeps a "From:" line that starts no header block', () => {
    expect(cleanReply('From: my side, all good.\nLet us talk.')).toBe('From: my side, all good.\nLet us talk.');
  });
});

describe('cleanReply: signatures and footers', () => {
  it('cuts at "-- ", phone signatures and sign-offs, keeping a lone "Thanks!" that is the message', () => {
    expect(cleanReply('Sounds good\n-- \nAnn Lee\nVP Sales')).toBe('Sounds good');
    expect(cleanReply('Sounds good\n\nSent from my iPhone')).toBe('Sounds good');
    expect(cleanReply('Sounds good\n\nGet Outlook for Android')).toBe('Sounds good');
    expect(cleanReply('Sounds good.\n\nBest regards,\nAnn Lee\nHead of Ops | Contoso\n+1 555 0100')).toBe('Sounds good.');
    expect(cleanReply('Thanks!')).toBe('Thanks!');
  });

  it('cuts a legal footer, whose "please contact the sender" is not the prospect speaking', () => {
    const reply = 'Let us talk.\n\nThis email and any attachments are confidential and intended solely for the addressee. If you received it in error please contact the sender.';
    expect(cleanReply(reply)).toBe('Let us talk.');
    expect(cleanReply('Let us talk.\nCONFIDENTIALITY NOTICE: the contents are privileged.')).toBe('Let us talk.');
  });
});

describe('cleanReply: HTML', () => {
  it('turns an HTML-only body into its text: entities decoded, styles and scripts dropped, breaks kept', () => {
    const html = '<html><head><style>p { color: red }</style><title>x</title></head><body><p>Tom&#39;s team &amp; mine&nbsp;&mdash; yes.</p><div>Next&#x20;line<br>third</div><script>alert(1)</script></body></html>';
    expect(cleanReply(html)).toBe("Tom's team & mine — yes.\nNext line\nthird");
  });

  it('cuts the Gmail quote, a blockquote and the Outlook reply header', () => {
    expect(cleanReply('<div dir="ltr">Yes please</div><div class="gmail_quote"><div>On Mon Sam wrote:</div><blockquote>Stop?</blockquote></div>')).toBe('Yes please');
    expect(cleanReply('<p>Fine by me</p><blockquote type="cite">unsubscribe</blockquote>')).toBe('Fine by me');
    expect(cleanReply('<div>Not now</div><hr><div id="divRplyFwdMsg"><b>From:</b> Sam</div><div>Tuesday at 2pm?</div>')).toBe('Not now');
  });

  it('does not take an e-mail address in angle brackets for HTML', () => {
    expect(cleanReply('Write to <ann@contoso.com> instead')).toBe('Write to <ann@contoso.com> instead');
  });

  it('drops an unclosed style element to the end rather than scanning again and again', () => {
    expect(htmlToText('<p>Hi</p><style>p{}')).toBe('Hi\n ');
  });
});

describe('cleanReply: bad input', () => {
  it('returns nothing for an empty reply or one that is only a quoted thread', () => {
    expect(cleanReply('')).toBe('');
    expect(cleanReply('   \n\n ')).toBe('');
    expect(cleanReply('> Hi Ann,\n> would you be open to a call?\n> Sam')).toBe('');
    expect(cleanReply('On Mon, Jan 12, 2026 at 9:00 AM Sam <sam@caio.io> wrote:\n> Hi Ann')).toBe('');
    expect(cleanReply('<div class="gmail_quote"><blockquote>Hi Ann</blockquote></div>')).toBe('');
  });

  // Speed is measured by the benchmark (`npm run bench -- reply-understanding`), not here; a
  // catastrophic (super-linear) case would run past the test's time limit and fail it.
  it('reads a 200 KB reply by its top and returns at most MAX_CLEAN_CHARS', () => {
    const huge = `Tuesday at 2pm works.\n${'lorem ipsum dolor sit amet '.repeat(8_000)}`;
    const clean = cleanReply(huge);
    expect(clean.length).toBeLessThanOrEqual(MAX_CLEAN_CHARS);
    expect(clean.startsWith('Tuesday at 2pm works.')).toBe(true);
  });

  it('finishes on hostile bodies (unclosed tags, endless lines, many headers) within the test time limit', () => {
    const bodies = [`<div>${'<style'.repeat(40_000)}`, `<p>${'<'.repeat(200_000)}`, `On ${'x'.repeat(200_000)}`, `${'On a\n'.repeat(40_000)}wrote:`, `<!--${'<!--'.repeat(50_000)}`, `${'From: a\n'.repeat(25_000)}`];
    for (const body of bodies) expect(cleanReply(body).length).toBeLessThanOrEqual(MAX_CLEAN_CHARS);
  });
});
