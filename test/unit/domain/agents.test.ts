import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ACTION_NAMES, ACTIONS, AGENT_ROLES, AGENTS, authorize, effectiveActionsOf, findAgent, SEND_ACTIONS, SEND_CAPABLE_ROLES, type AgentAction, type AgentRole, type AuthorizeInput } from '../../../src/domain/agents/index.js';

const NOW = new Date('2026-03-02T09:00:00Z');
const FRESH = { source: 'internal', verifiedAt: new Date('2026-03-02T08:30:00Z') };

/** Everything a HIGH or CRITICAL action needs, so a test isolates the one check it is about. */
const fullyEvidenced = (role: string, action: string, extra: Partial<AuthorizeInput> = {}): AuthorizeInput => ({ role, action, grounding: FRESH, approved: true, batchSize: 1, now: NOW, ...extra });

const codeOf = (input: AuthorizeInput) => {
  const result = authorize(input);
  return result.allowed ? 'ALLOWED' : result.code;
};

const SAMPLES: Record<AgentRole, { allowed: AgentAction[]; denied: AgentAction[] }> = {
  UNIFIED_QUEEN: { allowed: ['read_contact', 'update_opportunity', 'bulk_update_contacts', 'mass_unsubscribe'], denied: ['send_email', 'bulk_send_email', 'instantly_activate_campaign'] },
  HUNTER: { allowed: ['read_contact', 'search_contacts', 'create_contact', 'update_contact', 'add_tag'], denied: ['remove_tag', 'send_email', 'delete_contact'] },
  ENRICHER: { allowed: ['read_contact', 'update_contact', 'add_tag'], denied: ['create_contact', 'search_contacts', 'send_sms'] },
  SEGMENTOR: { allowed: ['read_contact', 'read_pipeline', 'update_contact', 'add_tag', 'remove_tag'], denied: ['create_contact', 'send_email'] },
  CRAFTER: { allowed: ['read_contact', 'get_templates', 'create_task'], denied: ['update_contact', ...SEND_ACTIONS] },
  GATEKEEPER: { allowed: ['read_contact', 'read_pipeline', 'send_email', 'send_sms', 'schedule_email', 'trigger_workflow', 'bulk_send_email'], denied: ['update_contact', 'instantly_add_leads', 'delete_contact'] },
  OPERATOR: {
    allowed: ['read_contact', 'read_pipeline', 'update_opportunity', 'trigger_workflow', 'send_email', 'schedule_email', 'instantly_add_leads', 'instantly_activate_campaign', 'heyreach_add_leads_to_campaign', 'heyreach_list_campaigns'],
    denied: ['send_sms', 'bulk_send_email', 'update_contact', 'delete_contact'],
  },
  SCOUT: { allowed: [], denied: ['read_contact', 'search_contacts'] },
  COACH: { allowed: [], denied: ['read_contact', 'add_tag'] },
  PIPER: { allowed: [], denied: ['read_contact', 'update_opportunity'] },
  SCHEDULER: { allowed: [], denied: ['read_calendar', 'create_calendar_event'] },
  RESEARCHER: { allowed: [], denied: ['read_contact', 'search_contacts'] },
};

describe('agent registry', () => {
  it('has exactly the 12 roles of the guardrails enum, each once', () => {
    expect(AGENTS).toHaveLength(12);
    expect(new Set(AGENTS.map((a) => a.role)).size).toBe(12);
    expect(AGENTS.map((a) => a.role).sort()).toEqual([...AGENT_ROLES].sort());
  });

  it('sets mergedInto exactly on disabled roles, always to an enabled role', () => {
    for (const agent of AGENTS) {
      expect(agent.mergedInto === null, agent.role).toBe(agent.enabled);
      if (agent.mergedInto) expect(findAgent(agent.mergedInto).enabled, agent.role).toBe(true);
    }
  });

  it('keeps the six roles that ran in production enabled, plus GATEKEEPER on its own', () => {
    expect(AGENTS.filter((a) => a.enabled).map((a) => a.role)).toEqual(['UNIFIED_QUEEN', 'HUNTER', 'ENRICHER', 'SEGMENTOR', 'CRAFTER', 'GATEKEEPER', 'OPERATOR']);
  });

  it('names only catalogued actions and gives each a risk level', () => {
    for (const agent of AGENTS) {
      for (const action of [...(agent.allowed === '*' ? [] : agent.allowed), ...agent.denied]) expect(ACTIONS[action], `${agent.role} ${action}`).toBeDefined();
    }
    for (const action of ACTION_NAMES) expect(['LOW', 'MEDIUM', 'HIGH', 'CRITICAL']).toContain(ACTIONS[action].risk);
  });

  it('gives CRAFTER no send action, even in its effective list', () => {
    expect(findAgent('CRAFTER').denied).toEqual(expect.arrayContaining([...SEND_ACTIONS]));
    expect(effectiveActionsOf(findAgent('CRAFTER')).filter((a) => ACTIONS[a].sends)).toEqual([]);
  });
});

describe('authorize', () => {
  for (const role of AGENT_ROLES) {
    const { allowed, denied } = SAMPLES[role];
    if (allowed.length) {
      it.each(allowed)(`${role} may %s`, (action) => {
        expect(authorize(fullyEvidenced(role, action))).toEqual({ allowed: true, role, action, risk: ACTIONS[action].risk });
      });
    }
    it.each(denied)(`${role} is refused %s`, (action) => {
      const result = authorize(fullyEvidenced(role, action));
      expect(result.allowed).toBe(false);
      if (!result.allowed) expect(result.reason).toContain(role);
    });
  }

  it('never lets CRAFTER send, whatever evidence, approval or counts it brings', () => {
    for (const action of SEND_ACTIONS) {
      expect(codeOf(fullyEvidenced('CRAFTER', action, { recentActionCount: { role: { lastMinute: 0 }, action: { lastMinute: 0 } } }))).toBe('AGENT_ACTION_DENIED');
    }
  });

  it('lets the deny list win over an allow-everything list', () => {
    expect(findAgent('UNIFIED_QUEEN').allowed).toBe('*');
    expect(authorize(fullyEvidenced('UNIFIED_QUEEN', 'send_email'))).toMatchObject({ allowed: false, code: 'AGENT_ACTION_DENIED' });
    expect(authorize(fullyEvidenced('SCHEDULER', 'send_email'))).toMatchObject({ allowed: false });
  });

  it('refuses an unknown role and an unknown action', () => {
    expect(codeOf({ role: 'PREPPER', action: 'read_contact' })).toBe('AGENT_UNKNOWN');
    expect(codeOf({ role: 'hunter', action: 'read_contact' })).toBe('AGENT_UNKNOWN');
    expect(codeOf({ role: 'HUNTER', action: 'export_leads' })).toBe('AGENT_ACTION_UNKNOWN');
    expect(codeOf({ role: 'HUNTER', action: 'toString' })).toBe('AGENT_ACTION_UNKNOWN');
  });

  it('refuses a merged role and names the role to act as', () => {
    expect(authorize({ role: 'SCOUT', action: 'read_contact' })).toEqual({ allowed: false, code: 'AGENT_DISABLED', reason: 'SCOUT is merged into OPERATOR; act as OPERATOR' });
  });

  it('refuses globally blocked actions to everyone, except the named override', () => {
    expect(codeOf(fullyEvidenced('UNIFIED_QUEEN', 'bulk_delete'))).toBe('AGENT_ACTION_BLOCKED');
    expect(codeOf(fullyEvidenced('OPERATOR', 'export_all_contacts'))).toBe('AGENT_ACTION_BLOCKED');
    expect(codeOf(fullyEvidenced('NOBODY', 'bulk_delete'))).toBe('AGENT_ACTION_BLOCKED');
    expect(codeOf(fullyEvidenced('OPERATOR', 'mass_unsubscribe'))).toBe('AGENT_ACTION_BLOCKED');
    expect(codeOf(fullyEvidenced('UNIFIED_QUEEN', 'mass_unsubscribe'))).toBe('ALLOWED');
  });

  it('needs fresh grounding from a known source for HIGH and CRITICAL actions', () => {
    expect(codeOf({ role: 'OPERATOR', action: 'send_email', now: NOW })).toBe('AGENT_GROUNDING_REQUIRED');
    expect(codeOf(fullyEvidenced('OPERATOR', 'send_email', { grounding: { source: 'a_guess', verifiedAt: NOW } }))).toBe('AGENT_GROUNDING_REQUIRED');
    expect(codeOf(fullyEvidenced('OPERATOR', 'send_email', { grounding: { source: 'ghl', verifiedAt: new Date('2026-03-02T08:00:00Z') } }))).toBe('AGENT_GROUNDING_REQUIRED');
    expect(codeOf(fullyEvidenced('OPERATOR', 'send_email', { grounding: { source: 'ghl', verifiedAt: new Date('2026-03-02T09:05:00Z') } }))).toBe('AGENT_GROUNDING_REQUIRED');
    expect(codeOf(fullyEvidenced('OPERATOR', 'send_email', { now: undefined }))).toBe('AGENT_GROUNDING_REQUIRED');
    expect(codeOf(fullyEvidenced('OPERATOR', 'send_email', { grounding: { source: 'ghl', verifiedAt: new Date('2026-03-02T08:00:01Z') } }))).toBe('ALLOWED');
    expect(codeOf({ role: 'HUNTER', action: 'read_contact' })).toBe('ALLOWED');
  });

  it('needs a recorded approval and a declared batch size within the cap for CRITICAL bulk actions', () => {
    expect(codeOf(fullyEvidenced('GATEKEEPER', 'bulk_send_email', { approved: false }))).toBe('AGENT_APPROVAL_REQUIRED');
    expect(codeOf(fullyEvidenced('GATEKEEPER', 'bulk_send_email', { batchSize: 25 }))).toBe('ALLOWED');
    expect(codeOf(fullyEvidenced('GATEKEEPER', 'bulk_send_email', { batchSize: 26 }))).toBe('AGENT_BATCH_TOO_LARGE');
    expect(codeOf(fullyEvidenced('GATEKEEPER', 'bulk_send_email', { batchSize: undefined }))).toBe('AGENT_BATCH_TOO_LARGE');
    expect(codeOf(fullyEvidenced('UNIFIED_QUEEN', 'bulk_create_contacts', { batchSize: 50 }))).toBe('ALLOWED');
  });

  describe('rate limits', () => {
    it('applies the role limits per minute, hour and day', () => {
      expect(codeOf({ role: 'HUNTER', action: 'read_contact', recentActionCount: { role: { lastMinute: 29, lastHour: 199, lastDay: 1999 } } })).toBe('ALLOWED');
      expect(codeOf({ role: 'HUNTER', action: 'read_contact', recentActionCount: { role: { lastMinute: 30 } } })).toBe('AGENT_RATE_LIMITED');
      expect(codeOf({ role: 'HUNTER', action: 'read_contact', recentActionCount: { role: { lastHour: 200 } } })).toBe('AGENT_RATE_LIMITED');
      expect(codeOf({ role: 'GATEKEEPER', action: 'read_contact', recentActionCount: { role: { lastDay: 150 } } })).toBe('AGENT_RATE_LIMITED');
    });

    it('applies the email bucket (2/min, 20/h, 150/day) to send_email and schedule_email', () => {
      const send = (action: AgentAction, counts: { lastMinute?: number; lastHour?: number; lastDay?: number }) => codeOf(fullyEvidenced('OPERATOR', action, { recentActionCount: { action: counts } }));
      expect(send('send_email', { lastMinute: 1, lastHour: 19, lastDay: 149 })).toBe('ALLOWED');
      expect(send('send_email', { lastMinute: 2 })).toBe('AGENT_RATE_LIMITED');
      expect(send('schedule_email', { lastHour: 20 })).toBe('AGENT_RATE_LIMITED');
      expect(send('send_email', { lastDay: 150 })).toBe('AGENT_RATE_LIMITED');
    });

    it('caps every action at its risk level per minute, and send_sms at 15/h and 100/day', () => {
      expect(codeOf({ role: 'HUNTER', action: 'read_contact', recentActionCount: { action: { lastMinute: 59 } } })).toBe('ALLOWED');
      expect(codeOf({ role: 'UNIFIED_QUEEN', action: 'read_contact', recentActionCount: { action: { lastMinute: 60 } } })).toBe('AGENT_RATE_LIMITED');
      expect(codeOf(fullyEvidenced('GATEKEEPER', 'send_sms', { recentActionCount: { action: { lastHour: 15 } } }))).toBe('AGENT_RATE_LIMITED');
      expect(codeOf(fullyEvidenced('GATEKEEPER', 'send_sms', { recentActionCount: { action: { lastDay: 100 } } }))).toBe('AGENT_RATE_LIMITED');
      expect(codeOf(fullyEvidenced('UNIFIED_QUEEN', 'delete_contact', { recentActionCount: { action: { lastMinute: 5 } } }))).toBe('AGENT_RATE_LIMITED');
    });

    it('reports a denial before a rate limit, so the audit names the real reason', () => {
      expect(codeOf({ role: 'CRAFTER', action: 'send_email', recentActionCount: { role: { lastMinute: 1000 } } })).toBe('AGENT_ACTION_DENIED');
    });
  });

  it('never allows a send action to a role outside the send-capable set, whatever the input', () => {
    const roleName = fc.oneof(fc.constantFrom(...AGENT_ROLES), fc.string());
    const counts = fc.record({ lastMinute: fc.nat(200), lastHour: fc.nat(2000), lastDay: fc.nat(20000) }, { requiredKeys: [] });
    fc.assert(
      fc.property(roleName, fc.constantFrom(...SEND_ACTIONS), fc.boolean(), fc.integer({ min: -5, max: 100 }), counts, (role, action, approved, batchSize, recent) => {
        const result = authorize({ role, action, approved, batchSize, grounding: FRESH, now: NOW, recentActionCount: { role: recent, action: recent } });
        if (!(SEND_CAPABLE_ROLES as readonly string[]).includes(role)) expect(result.allowed).toBe(false);
      }),
    );
  });
});
