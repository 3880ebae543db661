/** Who signs every draft, and the compliant footer (CAN-SPAM: identity, postal address, opt-out). */
export type SenderSettings = {
  name: string;
  title: string;
  company: string;
  brandDomain: string;
  calendarLink: string;
  ctaLabel: string;
  physicalAddress: string;
  unsubscribeUrl: string;
  disclaimer: string;
};

export const DEFAULT_SENDER_SETTINGS: SenderSettings = {
  name: 'Dani Apgar',
  title: 'Head of Sales',
  company: 'Chief AI Officer',
  brandDomain: 'chiefaiofficer.com',
  calendarLink: 'https://caio.cx/book',
  ctaLabel: 'Schedule a call with CAIO',
  physicalAddress: '5700 Harper Dr, Suite 210, Albuquerque, NM 87109',
  unsubscribeUrl: 'https://chiefaiofficer.com/unsubscribe',
  disclaimer: 'We write only to leaders we believe could own AI strategy at their company; if that is not you, one reply is enough and we will not write again.',
};
