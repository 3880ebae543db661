import { fnv1a32 } from '../../../domain/stable-hash.js';

const FIRST = ['Amara', 'Bruno', 'Chen', 'Dalia', 'Emeka', 'Freya', 'Goran', 'Hana', 'Ines', 'Jonah', 'Kofi', 'Lena'];
const LAST = ['Osei', 'Lindqvist', 'Moreau', 'Haddad', 'Novak', 'Tanaka', 'Ribeiro', 'Walsh'];
const COMPANIES = ['Harbor Analytics', 'Pinecrest Legal', 'Solace Health', 'Quarry Labs', 'Tidewater Freight', 'Brightline Media'];
const TAGS = [[], ['nurture'], ['lost'], ['cold'], ['do-not-contact'], ['Competitor']] as const;

/**
 * Deterministic CRM contacts for the GHL sandbox: last activity spread from 10 to 200 days ago,
 * some with tags the revival scan must exclude, one without an e-mail. Same seed, same CRM.
 */
export const staleCrmContacts = (now: Date, seed: number, count = 16) =>
  Array.from({ length: count }, (_, i) => {
    const h = fnv1a32(`crm|${seed}|${i}`);
    const first = FIRST[h % FIRST.length]!;
    const last = LAST[(h >>> 4) % LAST.length]!;
    const company = COMPANIES[(h >>> 8) % COMPANIES.length]!;
    const daysAgo = 10 + ((h >>> 12) % 190);
    const at = new Date(now.getTime() - daysAgo * 86_400_000).toISOString();
    const domain = `${company.toLowerCase().replace(/[^a-z]+/g, '')}.example.com`;
    return {
      ...(i === 3 ? {} : { email: `${first.toLowerCase()}.${last.toLowerCase()}@${domain}` }),
      firstName: first,
      lastName: last,
      companyName: company,
      tags: [...TAGS[(h >>> 16) % TAGS.length]!],
      dateAdded: new Date(now.getTime() - (daysAgo + 30) * 86_400_000).toISOString(),
      dateUpdated: at,
      lastActivity: at,
    };
  });
