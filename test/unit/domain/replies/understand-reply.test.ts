import { describe, expect, it } from 'vitest';
import { understandReply, type UnderstandOptions } from '../../../../src/domain/replies/index.js';

// Wednesday 14 January 2026, 09:00 in New York.
const OPTIONS: UnderstandOptions = { sentAt: new Date('2026-01-14T14:00:00.000Z'), timeZone: 'America/New_York' };
const understand = (text: string, options: Partial<UnderstandOptions> = {}) => understandReply(text, { ...OPTIONS, ...options });
const classOf = (text: string) => understand(text).class;

describe('understandReply: bad input', () => {
  it('answers an empty reply, or one that is only the quoted thread, with `question` at confidence 0', () => {
    for (const text of ['', '  \n ', '> Hi Ann,\n> are you free for a call Tuesday at 2pm?\n> unsubscribe here', 'On Mon, Jan 12, 2026 at 9:00 AM Sam <sam@caio.io> wrote:\n> Interested?']) {
      expect(understand(text)).toEqual({ class: 'question', kind: null, confidence: 0, evidence: [], proposedTimes: [], returnDate: null });
    }
  });

  it('reads an HTML-only body by its text', () => {
    const result = understand('<html><body><div>Thursday at 3pm works &mdash; send the invite.</div><div class="gmail_quote">stop</div></body></html>');
    expect(result.class).toBe('meeting_request');
    expect(result.proposedTimes.map((t) => t.at)).toEqual(['2026-01-15T20:00:00.000Z']);
  });

  // Speed is the benchmark's (`npm run bench -- reply-understanding`), not a timed test.
  it('understands a 200 KB reply by its top', () => {
    const huge = `Please remove me from this list.\n\n${'<p>history history history</p>'.repeat(7_000)}`;
    const result = understand(huge);
    expect(result.class).toBe('unsubscribe');
  });

  it('answers a non-English reply with a low-confidence `question`, not a confident wrong class', () => {
    for (const text of [
      'Danke, aber wir haben im Moment keinen Bedarf.',
      "Merci pour votre message, je ne suis pas intéressé pour l'instant.",
      'Gracias, pero no es para nosotros.',
      'Bedankt, maar we hebben geen interesse.',
      '谢谢，我们目前不需要。',
      'Спасибо, не интересно.',
    ]) {
      const result = understand(text);
      expect(result).toMatchObject({ class: 'question', confidence: 0.2, proposedTimes: [] });
    }
  });

  it('still catches an opt-out and an out-of-office note in other languages', () => {
    expect(classOf('Bitte nehmen Sie mich aus Ihrem Verteiler.')).toBe('unsubscribe');
    expect(classOf('Por favor, quiero darme de baja.')).toBe('unsubscribe');
    expect(classOf('Je suis en congés, réponse automatique.')).toBe('out_of_office');
  });

  it('keeps the meeting ask when the only date given is impossible or past, and marks a weekend time', () => {
    expect(understand('Could we meet on 2/30 at 10?')).toMatchObject({ class: 'meeting_request', proposedTimes: [] });
    expect(understand('Could we meet today at 8am?')).toMatchObject({ class: 'meeting_request', proposedTimes: [] });
    expect(understand('Saturday at 11 works for a call').proposedTimes).toMatchObject([{ at: '2026-01-17T16:00:00.000Z', outsideBusinessHours: true }]);
    expect(understand('Could we chat Thursday at 11pm?').proposedTimes).toMatchObject([{ at: '2026-01-16T04:00:00.000Z', outsideBusinessHours: true }]);
  });
});

describe('understandReply: classes', () => {
  it('reads an opt-out before anything else, and a bare STOP as one', () => {
    expect(understand('Sounds interesting, but please unsubscribe me.')).toMatchObject({ class: 'unsubscribe', evidence: ['unsubscribe'] });
    expect(classOf('stop')).toBe('unsubscribe');
    expect(classOf('Stop sending me these.')).toBe('unsubscribe');
    expect(classOf('We run nonstop campaigns, happy to chat.')).toBe('meeting_request');
  });

  it('reads an automated away note as out_of_office with its return date, even when it names a colleague', () => {
    const result = understand('Auto-reply: I am on vacation until Tuesday, January 20, with no access to email. For anything urgent reach out to bob@contoso.com.');
    expect(result).toMatchObject({ class: 'out_of_office', returnDate: '2026-01-20T14:00:00.000Z', proposedTimes: [] });
    expect(result.confidence).toBeGreaterThanOrEqual(0.85);
  });

  it('reads a person who is away but proposes a time as a meeting request', () => {
    expect(classOf("I'm out of the office this week but Tuesday at 11 works for a call.")).toBe('meeting_request');
  });

  it('reads other automated mail as auto_reply, and a left-the-company note naming a contact as referral', () => {
    expect(classOf('We have received your message and will get back to you within 2 business days. This is an automated reply.')).toBe('auto_reply');
    expect(classOf('Mail delivery failed: the recipient address was rejected.')).toBe('auto_reply');
    expect(classOf('Automatic reply: Ann no longer works at Contoso. Please contact jo@contoso.com instead.')).toBe('referral');
  });

  it('reads a referral, which beats a meeting the reply sets up for someone else', () => {
    expect(classOf('Not the right contact, sorry. Try Miguel on our growth team.')).toBe('referral');
    expect(classOf('You should speak with our COO, she decides this. She is free Thursday at 2pm.')).toBe('referral');
    expect(classOf('Copying Dana (cc) who runs SDRs.')).toBe('referral');
    expect(classOf('Please reach out to me again in March.')).toBe('objection');
  });

  it('reads a proposed time or an explicit ask as a meeting request, and a deferred ask as a timing objection', () => {
    expect(understand('Sure, could we do Friday at 10?')).toMatchObject({ class: 'meeting_request', proposedTimes: [{ at: '2026-01-16T15:00:00.000Z' }] });
    expect(classOf('Happy to hop on a quick call, what times work for you?')).toBe('meeting_request');
    expect(classOf("Let's talk again in Q3.")).toBe('objection');
    expect(classOf('No need to set up a call, just email me.')).not.toBe('meeting_request');
  });

  it('reads the objection kind', () => {
    const kind = (text: string) => understand(text).kind;
    expect(kind("We're already working with Clari on this.")).toBe('incumbent');
    expect(kind("Budget's frozen until further notice, so we can't afford new tools.")).toBe('budget');
    expect(kind('This would need approval from our board, not my call.')).toBe('authority');
    expect(kind("Honestly we don't need this, our pipeline is full.")).toBe('need');
    expect(kind('Bad timing, maybe in a few months.')).toBe('timing');
    expect(kind('Not interested.')).toBeNull();
  });

  it('reads an objection with a reason before a plain no, and a plain no as not_interested', () => {
    expect(classOf('Not interested, we already have a vendor for this.')).toBe('objection');
    expect(classOf("Thanks but we'll pass.")).toBe('not_interested');
    expect(classOf('nope')).toBe('not_interested');
  });

  it('reads a real question as question, and a request for material as interest', () => {
    expect(classOf('How long does onboarding usually take?')).toBe('question');
    expect(classOf('which CRMs do you support')).toBe('question');
    expect(classOf('We use Pipedrive, does it sync both ways?')).toBe('question');
    expect(classOf('Could you send over your pricing?')).toBe('question');
    expect(classOf('Could you send over a case study?')).toBe('interested');
    expect(classOf('Intrigued. Keep me posted.')).toBe('interested');
    expect(classOf('ok')).toBe('interested');
    expect(classOf('🙌')).toBe('interested');
  });

  it('falls back to a low-confidence question when no rule applies', () => {
    expect(understand('Hmm.')).toMatchObject({ class: 'question', confidence: 0.3 });
  });

  it('reads a next-step question as interest, and a positive word before a "but" as nothing', () => {
    expect(understand('Thanks. Who would I be working with?')).toMatchObject({ class: 'interested', evidence: ['Who would I be working with'] });
    expect(classOf('How would we get started?')).toBe('interested');
    expect(classOf("We're evaluating tools right now, your timing is good.")).toBe('interested');
    expect(understand('Interesting, but the next 90 days are spoken for.')).toMatchObject({ class: 'objection', kind: 'timing', confidence: 0.4 });
  });

  it('reads a statement that opens with a wh-word as a statement', () => {
    expect(understand('What you describe would cost more than our whole budget.')).toMatchObject({ class: 'objection', kind: 'budget' });
    expect(classOf('What does onboarding look like')).toBe('question');
  });

  it('gives a reply no phrase decides the class of its cue words, at 0.4, and an inquiry stays a question', () => {
    expect(understand('Love the idea, hate the price tag.')).toMatchObject({ class: 'objection', kind: 'budget', confidence: 0.4, evidence: ['price'] });
    expect(understand('Nothing happens here without our Board.')).toMatchObject({ class: 'objection', kind: 'authority', evidence: ['Board'] });
    expect(understand('got an agency doing this already')).toMatchObject({ class: 'objection', kind: 'incumbent' });
    expect(understand('very cool, I want to hear more')).toMatchObject({ class: 'interested' });
    expect(understand('Maybe. Depends on cost.')).toMatchObject({ class: 'question', confidence: 0.3 });
    expect(understand('Ahora no, quizás el martes a las 14h.')).toMatchObject({ class: 'question', confidence: 0.3 });
  });

  it('reads an opt-out by its grammar, and a question about where we got the address as a question', () => {
    for (const text of ['Add me to your do-not-contact list.', 'I never signed up for this.', 'quit messaging me', 'Do not email this address again.', 'Kindly purge my contact details.', "I'd like to be removed from future mailings."]) {
      expect(classOf(text)).toBe('unsubscribe');
    }
    expect(classOf('Who are you and how did you get my address?')).toBe('question');
  });

  it('gives the words that decided, as written', () => {
    expect(understand('Too Expensive for us right now.').evidence).toEqual(['Too Expensive']);
  });
});
