import type { AngleTemplate } from './types.js';

export const TIER_3_ANGLES: AngleTemplate[] = [
  {
    id: 't3_quick_win',
    tier: 3,
    label: 'Quick win: automate one workflow first',
    subjectA: 'One idea for {{company}}',
    subjectB: '{{first_name}}, one workflow worth automating',
    body: `Hi {{first_name}},

{{opening}}

Almost every team has one workflow that quietly eats the week. Fixing that one first beats a six-month AI program.

A 25-person company we worked with got back eight hours per person per month from a single automated process.

If you reply "yes", I will send a short breakdown of how we would pick that workflow at {{company}}.`,
    variables: ['first_name', 'company', 'opening'],
  },
  {
    id: 't3_time_savings',
    tier: 3,
    label: 'Time savings: ten or more hours back each week',
    subjectA: '{{first_name}}, ten hours back every week',
    subjectB: 'What if the admin work at {{company}} ran itself?',
    body: `Hi {{first_name}},

{{opening}}

Most teams lose 10 to 15 hours a week to admin: copying data between tools, chasing updates, formatting reports. AI agents (not a chatbot) can take most of that off the table.

Three quick wins we see in {{industry}}: inbox triage, meeting follow-ups and weekly status reports.

Start with one, measure it, then decide. Should I send a short video made for teams the size of {{company}}?`,
    variables: ['first_name', 'company', 'industry', 'opening'],
  },
  {
    id: 't3_competitor_fomo',
    tier: 3,
    label: 'Peers are automating the invisible work',
    subjectA: 'What {{industry}} teams are automating now',
    subjectB: '{{first_name}}, how your peers are scaling',
    body: `Hi {{first_name}},

{{opening}}

I keep seeing the same pattern among {{industry}} companies: the ones pulling ahead automated the invisible work first.
- client intake and qualification
- proposal and quote drafts
- scheduling and reminders
- month-end reporting

None of it needed a rip-and-replace of existing systems. Has {{company}} looked at any of these yet? A reply of "show me" is enough and I will send examples.`,
    variables: ['first_name', 'company', 'industry', 'opening'],
  },
  {
    id: 't3_diy_resource',
    tier: 3,
    label: 'Do-it-yourself resource for small teams',
    subjectA: 'An AI checklist for {{industry}} teams',
    subjectB: '{{first_name}}, a short resource for small teams',
    body: `Hi {{first_name}},

{{opening}}

For teams under 50 people we put together a one-page checklist of five automations you can set up yourselves. It covers:
- the workflows worth starting with
- tools that cost under $100 a month
- the mistakes that make small teams give up

Would you like me to send it over? No strings attached.`,
    variables: ['first_name', 'industry', 'opening'],
  },
];
