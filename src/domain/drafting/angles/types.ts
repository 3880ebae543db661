export const ANGLE_IDS = [
  't1_executive_buyin',
  't1_industry_specific',
  't1_hiring_trigger',
  't1_value_first',
  't2_tech_stack',
  't2_ops_efficiency',
  't2_innovation_champion',
  't3_quick_win',
  't3_time_savings',
  't3_competitor_fomo',
  't3_diy_resource',
] as const;
export type AngleId = (typeof ANGLE_IDS)[number];

/** The variables a template may use; each maps to a lead field for grounding (see craft-draft.ts). */
export type TemplateVariable = 'first_name' | 'company' | 'industry' | 'title' | 'opening';

export type AngleTemplate = {
  id: AngleId;
  tier: 1 | 2 | 3;
  label: string;
  /** Templates use `{{variable}}`; an unfilled one is an error, never output. */
  subjectA: string;
  subjectB: string;
  body: string;
  variables: TemplateVariable[];
};

export const isAngleId = (value: unknown): value is AngleId => typeof value === 'string' && (ANGLE_IDS as readonly string[]).includes(value);
