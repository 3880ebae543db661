import type { AngleTemplate } from './types.js';

export const TIER_2_ANGLES: AngleTemplate[] = [
  {
    id: 't2_tech_stack',
    tier: 2,
    label: 'Tech stack: an AI integration playbook for their tools',
    subjectA: '{{first_name}}, AI on top of the {{company}} stack',
    subjectB: 'An AI integration playbook for {{industry}} teams',
    body: `Hi {{first_name}},

{{opening}}

We wrote an integration playbook for {{industry}} teams that want AI inside the tools they already pay for. Two blockers come up with almost every {{title}} we meet: legacy systems nobody wants to touch, and no one who owns the AI roadmap.

A fractional Chief AI Officer takes a pilot to production in 90 days. Typical first automations are lead enrichment, document processing and support triage.

Shall I share the playbook?`,
    variables: ['first_name', 'company', 'industry', 'title', 'opening'],
  },
  {
    id: 't2_ops_efficiency',
    tier: 2,
    label: 'Operations efficiency: ROI you can measure',
    subjectA: 'Operational efficiency at {{company}}',
    subjectB: '{{first_name}}, trimming overhead at {{company}}',
    body: `Hi {{first_name}},

{{opening}}

Operations teams we work with save 40 to 60 percent of the time spent on repetitive work. For example:
- a 150-person firm recovered 300+ hours in 30 days
- a 7-person pilot team raised productivity by 27 percent
- weekly reporting went from a day of work to an hour

We start with high-volume, low-complexity tasks and prove the return within 30 days, using our M.A.P. framework.

Worth a short sync, or would a one-pager suit you better?`,
    variables: ['first_name', 'company', 'opening'],
  },
  {
    id: 't2_innovation_champion',
    tier: 2,
    label: 'Innovation champion: an internal AI council',
    subjectA: 'AI transformation at {{company}}',
    subjectB: '{{first_name}}, setting up an AI council',
    body: `Hi {{first_name}},

{{opening}}

Three out of four AI pilots stall before they pay back, and the cause is rarely the model. It is governance: nobody decides what to automate next or who owns the result.

We help companies like {{company}} form a small AI council of internal champions:
1. pick the first workflows together
2. ship them with clear owners and metrics
3. hand over a 90-day cadence the council keeps running

If the first phase does not show savings, you do not pay for the next one. Can I send a two-minute video of how it works?`,
    variables: ['first_name', 'company', 'opening'],
  },
];
