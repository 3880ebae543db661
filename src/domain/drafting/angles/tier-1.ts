import type { AngleTemplate } from './types.js';

export const TIER_1_ANGLES: AngleTemplate[] = [
  {
    id: 't1_executive_buyin',
    tier: 1,
    label: 'Executive buy-in: the 90-day implementation sprint',
    subjectA: '{{first_name}}, a 90-day AI execution plan for {{company}}',
    subjectB: 'A practical AI roadmap for {{company}} this quarter',
    body: `Hi {{first_name}},

{{opening}}

Most leadership teams I talk to have run a few AI pilots, yet nobody owns the operating rhythm that turns them into results. That gap is what a fractional Chief AI Officer closes.

How the 90 days usually go:
- Day 1: a one-day M.A.P. bootcamp (Measure, Automate, Prove) with your leads
- Days 2-30: we pick two or three workflows where hours are leaking
- Days 31-90: we deploy, measure the savings and hand your team the playbook

Would a one-page checklist of where {{company}} could start be useful?`,
    variables: ['first_name', 'company', 'opening'],
  },
  {
    id: 't1_industry_specific',
    tier: 1,
    label: 'Industry pain: thin margins and back-office work',
    subjectA: 'AI in {{industry}} / {{company}}',
    subjectB: 'Automating the back office at {{company}}?',
    body: `Hi {{first_name}},

{{opening}}

Leaders in {{industry}} tell me the same thing: margins are thin, and too many skilled hours go to estimates, invoices, scheduling and weekly reports.

Those are the workflows we automate first. One 150-person firm got back more than 300 hours in its first 30 days, without replacing a single system.

If it helps, I can send the workflow breakdown we use for {{industry}} teams, so you can judge whether it fits {{company}}.`,
    variables: ['first_name', 'company', 'industry', 'opening'],
  },
  {
    id: 't1_hiring_trigger',
    tier: 1,
    label: 'Hiring trigger: a bridge strategy while AI roles are open',
    subjectA: 'While {{company}} hires for AI',
    subjectB: 'A bridge strategy for {{company}}',
    body: `Hi {{first_name}},

I noticed {{company}} is hiring for AI and data roles. A new senior hire usually needs four to six months before the work compounds, and the strategy decisions cannot wait that long.

A fractional Chief AI Officer can hold that ground in the meantime. In 90 days you would have:
- a ranked list of the workflows worth automating
- two pilots in production with measured results
- governance your new hire can inherit
- a hiring scorecard for the role itself

Open to a 15-minute call about a bridge plan?`,
    variables: ['first_name', 'company'],
  },
  {
    id: 't1_value_first',
    tier: 1,
    label: 'Value first: a short AI-readiness self-audit',
    subjectA: 'A 2-minute AI readiness check for {{company}}',
    subjectB: '{{first_name}}, a short resource for {{industry}} leaders',
    body: `Hi {{first_name}},

{{opening}}

We built a two-minute AI-readiness self-audit for leadership teams in {{industry}}. Most teams who take it find three quick wins worth 10 to 20 hours a week: intake triage, report assembly and follow-up drafting.

May I send you the link? There is no call attached; the audit stands on its own.`,
    variables: ['first_name', 'company', 'industry', 'opening'],
  },
];
