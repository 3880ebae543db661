import { mulberry32, pick, type Random } from './prng.js';

/** Everything the sandbox knows about one invented person; search and match records are views of it. */
export type SyntheticPerson = {
  id: string;
  firstName: string | null;
  lastName: string | null;
  /** Set when the match record carries only `name` (no first/last). */
  nameOnly: string | null;
  title: string | null;
  email: string | null;
  /** Address given only as `verified_email` (older records). */
  verifiedEmail: string | null;
  linkedinUrl: string | null;
  city: string;
  state: string;
  organization: {
    id: string;
    name: string;
    domain: string;
    industry: string;
    employees: number | string | null;
    annualRevenue: number | null;
    technologies: string[];
    fundingStage: string | null;
  };
};

export type MessyCase =
  | 'missing_title'
  | 'employees_unknown'
  | 'employees_string_plus'
  | 'employees_string_range'
  | 'name_only'
  | 'no_email'
  | 'verified_email_only'
  | 'locked_email_placeholder'
  | 'competitor_domain'
  | 'competitor_subdomain'
  | 'excluded_domain'
  | 'excluded_subdomain'
  | 'duplicate_first'
  | 'duplicate_second_case';

/** Where each messy case sits: all within the first 25, whatever the seed. */
export const MESSY_CASES: readonly { case: MessyCase; index: number }[] = [
  { case: 'missing_title', index: 2 },
  { case: 'employees_unknown', index: 4 },
  { case: 'employees_string_plus', index: 5 },
  { case: 'employees_string_range', index: 6 },
  { case: 'name_only', index: 8 },
  { case: 'no_email', index: 9 },
  { case: 'verified_email_only', index: 11 },
  { case: 'locked_email_placeholder', index: 12 },
  { case: 'competitor_domain', index: 14 },
  { case: 'competitor_subdomain', index: 15 },
  { case: 'excluded_domain', index: 17 },
  { case: 'excluded_subdomain', index: 18 },
  { case: 'duplicate_first', index: 20 },
  { case: 'duplicate_second_case', index: 21 },
];

export const LOCKED_EMAIL = 'email_not_unlocked@domain.com';

const FIRST = ['Maya', 'Theo', 'Priya', 'Jonas', 'Leila', 'Marcus', 'Sofia', 'Daniel', 'Aiko', 'Omar', 'Grace', 'Mateo', 'Hannah', 'Ravi', 'Elena', 'Samuel', 'Nadia', 'Victor', 'Chloe', 'Tariq', 'Ingrid', 'Lucas', 'Amara', 'Felix'];
const LAST = ['Rivera', 'Kaplan', 'Okafor', 'Lindqvist', 'Haddad', 'Brennan', 'Moreau', 'Tanaka', 'Alvarez', 'Novak', 'Osei', 'Fischer', 'Patel', 'Quinn', 'Santos', 'Weber', 'Kowalski', 'Mensah', 'Dubois', 'Ibrahim'];
const PREFIX = ['North', 'Blue', 'Harbor', 'Summit', 'Cedar', 'Bright', 'Iron', 'Silver', 'Granite', 'Pine', 'Copper', 'Lake', 'Redwood', 'Atlas', 'Beacon'];
const SUFFIX = ['wind', 'fern', 'light', 'ridge', 'stone', 'field', 'gate', 'path', 'works', 'bay'];
const KIND: [string, string][] = [
  ['Agency', 'marketing & advertising'],
  ['Media', 'marketing & advertising'],
  ['Staffing', 'staffing & recruiting'],
  ['Talent', 'human resources'],
  ['Consulting', 'management consulting'],
  ['Legal', 'law practice'],
  ['Accounting', 'accounting'],
  ['Realty', 'real estate'],
  ['Commerce', 'e-commerce'],
  ['Software', 'computer software'],
  ['Systems', 'information technology & services'],
  ['Health', 'hospital & health care'],
  ['Capital', 'financial services'],
  ['Insurance', 'insurance'],
  ['Manufacturing', 'manufacturing'],
  ['Logistics', 'logistics & supply chain'],
  ['Builders', 'construction'],
  ['Foundation', 'non-profit organization management'],
  ['Studios', 'entertainment'],
];
const TITLES = [
  'CEO',
  'Founder',
  'Co-Founder & CEO',
  'President',
  'Managing Partner',
  'Chief Revenue Officer (CRO)',
  'Chief Marketing Officer',
  'COO',
  'VP of Sales',
  'Vice President of Marketing',
  'SVP, Revenue',
  'Head of RevOps',
  'Head of Growth',
  'Director of Operations',
  'Sales Director',
  'Senior Director, Partnerships',
  'Marketing Manager',
  'Revenue Operations Manager',
  'Sales Coordinator',
  'Account Executive',
];
const TECH = ['Salesforce', 'HubSpot', 'Pipedrive', 'Gong', 'Outreach', 'Salesloft', 'ZoomInfo', 'Marketo', 'Mailchimp', 'Intercom', 'Slack', 'Zoom', 'Google Workspace', 'Shopify', 'QuickBooks'];
const CITIES: [string, string][] = [
  ['Denver', 'Colorado'],
  ['Austin', 'Texas'],
  ['Chicago', 'Illinois'],
  ['Boston', 'Massachusetts'],
  ['Seattle', 'Washington'],
  ['Atlanta', 'Georgia'],
  ['Phoenix', 'Arizona'],
  ['Raleigh', 'North Carolina'],
];
const FUNDING = [null, null, 'Seed', 'Series A', 'Series B', 'Private Equity'];

const slug = (s: string) =>
  s
    .toLowerCase()
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
const hex = (n: number, width: number) => n.toString(16).padStart(width, '0').slice(-width);

const employeesFor = (random: Random): number => {
  const r = random();
  if (r < 0.08) return 3 + Math.floor(random() * 6);
  if (r < 0.2) return 10 + Math.floor(random() * 40);
  if (r < 0.75) return 51 + Math.floor(random() * 450);
  if (r < 0.9) return 501 + Math.floor(random() * 500);
  return 1001 + Math.floor(random() * 9000);
};

const basePerson = (random: Random, seed: number, index: number): SyntheticPerson => {
  const firstName = pick(random, FIRST);
  const lastName = pick(random, LAST);
  const [kind, industry] = pick(random, KIND);
  const name = `${pick(random, PREFIX)}${pick(random, SUFFIX)} ${kind}`;
  const domain = `${slug(name)}.example.com`;
  const [city, state] = pick(random, CITIES);
  const techCount = Math.floor(random() * 4);
  const technologies = [...new Set(Array.from({ length: techCount }, () => pick(random, TECH)))];
  const employees = employeesFor(random);
  return {
    id: `66f0${hex(seed, 8)}${hex(index, 12)}`,
    firstName,
    lastName,
    nameOnly: null,
    title: pick(random, TITLES),
    email: `${slug(firstName)}.${slug(lastName)}@${domain}`,
    verifiedEmail: null,
    linkedinUrl: `https://www.linkedin.com/in/example-${slug(firstName)}-${slug(lastName)}-${hex(index, 4)}`,
    city,
    state,
    organization: {
      id: `5f10${hex(seed, 8)}${hex(index, 12)}`,
      name,
      domain,
      industry,
      employees,
      annualRevenue: Math.round(employees * (60_000 + random() * 140_000)),
      technologies,
      fundingStage: pick(random, FUNDING),
    },
  };
};

const applyMessyCase = (p: SyntheticPerson, c: MessyCase, previous: SyntheticPerson | undefined): SyntheticPerson => {
  const at = (domain: string, company?: string) => ({ ...p, email: `${slug(p.firstName!)}.${slug(p.lastName!)}@${domain}`, organization: { ...p.organization, domain, ...(company ? { name: company } : {}) } });
  switch (c) {
    case 'missing_title':
      return { ...p, title: null };
    case 'employees_unknown':
      return { ...p, organization: { ...p.organization, employees: null } };
    case 'employees_string_plus':
      return { ...p, organization: { ...p.organization, employees: '1,000+' } };
    case 'employees_string_range':
      return { ...p, organization: { ...p.organization, employees: '51-200' } };
    case 'name_only':
      return { ...p, nameOnly: `${p.firstName} ${p.lastName}`, firstName: null, lastName: null };
    case 'no_email':
      return { ...p, email: null };
    case 'verified_email_only':
      return { ...p, verifiedEmail: p.email, email: null };
    case 'locked_email_placeholder':
      return { ...p, verifiedEmail: p.email, email: LOCKED_EMAIL };
    case 'competitor_domain':
      return { ...at('gong.io', 'Gong'), organization: { ...at('gong.io', 'Gong').organization, industry: 'computer software' } };
    case 'competitor_subdomain':
      return at('emea.zoominfo.com');
    case 'excluded_domain':
      return at('chiefaiofficer.com', 'Chief AI Officer');
    case 'excluded_subdomain':
      return at('b2b.chiefaiofficer.com', 'Chief AI Officer');
    case 'duplicate_first':
      return { ...p, firstName: 'Jane', lastName: 'Doe', email: `Jane.Doe@${p.organization.domain}`, title: 'VP of Sales', linkedinUrl: `https://www.linkedin.com/in/example-jane-doe-${p.id.slice(-4)}` };
    case 'duplicate_second_case': {
      const first = previous!;
      return { ...first, id: p.id, email: first.email!.toLowerCase() };
    }
  }
};

/** Deterministic invented people: the same seed gives the same people; another seed, others. */
export const generateSyntheticPeople = ({ seed, count }: { seed: number; count: number }): SyntheticPerson[] => {
  const random = mulberry32(seed * 2654435761 + 1);
  const messyAt = new Map(MESSY_CASES.map((m) => [m.index, m.case]));
  const people: SyntheticPerson[] = [];
  for (let i = 0; i < count; i++) {
    const person = basePerson(random, seed, i);
    const messy = messyAt.get(i);
    people.push(messy ? applyMessyCase(person, messy, people[i - 1]) : person);
  }
  return people;
};
