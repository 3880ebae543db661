/** One personal claim in a draft and where it came from (lead field and provider). */
export type Grounding = { claim: string; field: string; value: string; provider: string };
