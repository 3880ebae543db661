/**
 * Reply texts the simulated prospects write, per class and channel: a selection of the held-out
 * replies (test/fixtures/replies/held-out.json, no addresses, no quoted threads), copied here because
 * test fixtures are not shipped. `meeting_request` texts that name a time are kept apart (`meeting_time`,
 * written for the simulation: a weekday and an hour in the prospect's own zone): those are the
 * meeting picks the SCHEDULER books. `SLOT_PICK_TEXTS` answer our answer that offered free slots by
 * naming one by its position (written for the simulation).
 */
import type { SimReplyClass } from './settings.js';

type Texts = Readonly<Record<SimReplyClass | 'meeting_time', { email: readonly string[]; linkedin: readonly string[] }>>;

export const REPLY_TEXTS: Texts = {
  // Weekday and a time in the prospect's own day, inside the default business hours: the SCHEDULER can book them as asked.
  meeting_time: {
    email: ['Tuesday at 2pm works for me. Send an invite to this address.', 'Thursday at 11am works, talk then.', 'Can you do Wednesday at 10am? Happy to look at it.', 'Monday at 3pm would suit me.', 'How about Friday at 1pm?'],
    linkedin: ['Sure. Thu 2pm?', 'next tues 10:30am?', 'Can you send me a calendar invite for Friday 10am?', 'Sure, how about Wednesday at 11am?'],
  },
  meeting_request: {
    email: [
      'Happy to chat. Grab a time here: https://calendly.com/dana-w/30min',
      "Sure, let's set up a call. What does your availability look like next week?",
      'Could we meet 2/30 at 10?',
      "We've been looking for something like this. Could we set up a demo with my team?",
      "Sure — what's a good number to reach you on?",
    ],
    linkedin: [
      'Im in. wen r u free?',
      'Sure, happy to connect. Send me a few times that work for you.',
      'sounds good, book something in for next week',
      "Hi Sam! I'd be open to a quick chat. I'm in Chicago so anything after 10am CT works",
      "Absolutely, love what you're building. Let's connect.",
    ],
  },
  interested: {
    email: [
      'Sounds interesting — can you send me a one-pager?',
      'Yes, tell me more.',
      "This is actually timely, we were just talking about this. Send me more details and I'll share with the team.",
      'intrested, pls snd more info',
      "Hi Sam, yes this is relevant. Our SDR team is growing from 4 to 12 this year. What's the best way to learn more?",
      'Yes.',
    ],
    linkedin: [
      'sure, send it over',
      '👍',
      'Yeah sure, go ahead and send me the details',
      "Hi! Sure, I'm open to learning more. What's the best email to reach you?",
      'Interesting, tell me more about the AI piece',
      "Yep, keen. What's next?",
    ],
  },
  question: {
    email: [
      'How is this different from Apollo?',
      'What does it cost?',
      "Does it integrate with HubSpot? We're on the Pro tier.",
      'Who are you and how did you get my address?',
      'Hola, gracias por el mensaje. ¿Podrían enviarme más información sobre precios?',
      'Kein Interesse, danke. Viele Grüße',
    ],
    linkedin: [
      "what's the pricing like",
      'Hey! Thanks for connecting. What exactly does your company do?',
      "Who's this?",
      'Thanks Sam. Curious - are you guys SOC 2 compliant?',
      "Who's your typical customer? We're a 40 person agency",
      'lol who is this',
    ],
  },
  objection: {
    email: [
      "We already use Outreach and we're happy with it.",
      'Thanks Sam — we just renewed with Apollo for another year, so not a fit right now.',
      "Honestly the budget isn't there this year. Costs are being cut across the board.",
      'Looks cool but way too expensive for a team our size.',
      "Bad timing — we're in the middle of a re-org. Reach back out in Q3.",
      'Not right now. Maybe circle back after the summer?',
    ],
    linkedin: [
      "appreciate the note. we built this in-house last year so we're covered",
      'no budget for new tools till next FY',
      'Ping me in a month or so, things are hectic',
      'Saw your LinkedIn post, fun stuff. Not buying anything this year though.',
      'Hey thanks for reaching out! We actually just hired an agency to do this.',
      'Already covered by our in-house team.',
    ],
  },
  not_interested: {
    email: [
      'Not interested. Thanks.',
      'no thanks',
      "We're not interested at this time. Best of luck.",
      'Sorry, not for us.',
      'We looked at you guys last year and decided against it.',
      "Hi, this is Tom's assistant. He's asked me to tell you he's not interested, thank you.",
    ],
    linkedin: ["Appreciate it but I'll pass.", 'lol no', 'Not looking for anything at the moment, thanks', 'no', "thx but we're set", 'Take a hike'],
  },
  out_of_office: {
    email: [
      "I'm currently on annual leave and will be back in the office on 3/23. I'll have no access to email during this time.",
      'I am out of the office through Friday, March 13, returning Monday, March 16.',
      "I'm out of the office and will reply when I return.",
      'Vielen Dank für Ihre Nachricht. Ich bin bis einschließlich 20.03.2026 nicht im Büro und habe keinen Zugriff auf meine E-Mails. In dringenden Fällen wenden Sie sich bitte an Frau Schmidt.',
      'Je suis absent du bureau en ce moment. Ceci est une réponse automatique.',
      "I'm traveling with limited email access and will be back Monday. This is an auto-reply.",
    ],
    linkedin: [
      "I'm currently on annual leave and will be back in the office on 3/23. I'll have no access to email during this time.",
      'I am out of the office through Friday, March 13, returning Monday, March 16.',
      "I'm out of the office and will reply when I return.",
    ],
  },
  referral: {
    email: [
      "+Jake Morris (cc'd) — Jake owns our outbound stack, he's the right person.",
      "I've forwarded your note to our CTO, Ben. He'll reach out if there's interest.",
      "Sorry, I left Acme in January. I'm at Initech now — not in a buying role anymore.",
      "I'll forward this to Mark, he manages our SDR team.",
      "I'm no longer at Globex. Try reaching out to Priyanka Shah who took over my role.",
      "I'm not the person who handles this but I can pass it on.",
    ],
    linkedin: ['Not my department. Try Carla in marketing.', "Wrong person, I'm in finance.", 'Decision sits with our RevOps lead, I can intro you if you want'],
  },
  unsubscribe: {
    email: [
      'Please remove me from your mailing list.',
      'unsubscribe\n\nSent from my iPhone',
      "This looks interesting but please take me off this list, I don't want cold emails.",
      '<html><body><p>Do not contact me again.</p><p>--<br>Mark Evans<br>CFO</p></body></html>',
      'Who gave you my email? Delete my data and never email me again. GDPR request.',
      'Please stop emailing me.\n\n-----Original Message-----\nFrom: Sam Lee\nSent: Tuesday, March 3, 2026 9:00 AM\nTo: Bob\nSubject: Chat?\n\nInterested in a chat on Friday at 2pm?',
    ],
    linkedin: ['STOP', 'Please stop messaging me on LinkedIn', 'Stop'],
  },
};

const ORDINAL_WORDS = ['first', 'second', 'third', 'fourth', 'fifth'] as const;

/**
 * A prospect's pick among the slots our answer offered, by position, as people write it: `{nth}`
 * is the ordinal word ("second"), `{n}` the number. Each is read by the production reply
 * understanding as a meeting request that picks that offered slot (test/unit/simulation).
 */
export const SLOT_PICK_TEXTS: Readonly<Record<'email' | 'linkedin', readonly string[]>> = {
  email: ['The {nth} option works for me. Send the invite to this address.', "Let's do the {nth} one, thanks.", 'Option {n} works best for me.', 'Thanks, the {nth} slot is good for me.'],
  linkedin: ['{nth} option works', 'the {nth} one pls', 'option {n} works for me'],
};

/** The text of a pick of slot `index` (from 0) in one of the templates above. */
export const slotPickText = (template: string, index: number): string => template.replaceAll('{nth}', ORDINAL_WORDS[index] ?? String(index + 1)).replaceAll('{n}', String(index + 1));
