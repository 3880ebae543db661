/** The kinds of outreach the sending rules count separately (quotas, timing, the cross-channel cap). */
export type SendChannel = 'email' | 'linkedin';
